export default interface extern {
  signedRequest: (method: string, url: string, region: string, credentials: Readonly<any>) => Promise<Readonly<any>>,
}

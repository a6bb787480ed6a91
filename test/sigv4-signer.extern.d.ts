export default interface extern {
  signedFetch: (method: string, url: string, region: string, credentials: Readonly<any>, body: string, tamper: string) => Promise<SignedResponse>,
}
/** The response of a signed request. */
export interface SignedResponse {
  readonly body: string;
  readonly status: number;
}
export default interface extern {
  awsSigv4Scheme: () => Readonly<any>,
  cognitoUserPoolsScheme: (headerKey: string, userPoolArn: string) => Readonly<any>,
}

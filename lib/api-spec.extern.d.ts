export default interface extern {
  withProtectedOperation: (spec: Readonly<any>, path: string, method: string, schemeName: string) => Readonly<any>,
  withSecurityScheme: (spec: Readonly<any>, name: string, scheme: Readonly<any>) => Readonly<any>,
}

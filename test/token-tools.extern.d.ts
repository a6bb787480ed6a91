export default interface extern {
  forge: (token: string) => Promise<string>,
  tamper: (token: string) => Promise<string>,
}

// The suite's data module, made by _bundle.ts at bundle time.
declare module 'conformance:data' {
  const data: unknown
  export default data
}

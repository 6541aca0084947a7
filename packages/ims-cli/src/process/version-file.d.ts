/** The repository's .version is imported as text (`with { type: "text" }`), see version.ts. */
declare module "*.version" {
  const text: string;
  export default text;
}

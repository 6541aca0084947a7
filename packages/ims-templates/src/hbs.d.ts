/** Template files are imported as text (`with { type: "text" }`), see builtin.ts. */
declare module "*.hbs" {
  const text: string;
  export default text;
}

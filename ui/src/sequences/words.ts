// Message templates in words, for step titles and summaries: a person's
// details become readable placeholders ("{{ first_name | default("Hi") }}" →
// "‹first name›"), tags and comments go, so no template code shows where a
// marketer reads what a step does. Previews render the real text; this
// only names what will be filled in.

const FIELDS: Record<string, string> = {
  first_name: "first name",
  last_name: "last name",
  person_id: "person id",
  time_zone: "time zone",
  cart: "cart item",
  last_viewed: "last viewed product",
  image_link: "image",
};

/** A template variable in words: "cart.title" → "cart item", "last_viewed.price" → "last viewed product price". */
export function fieldWords(path: string): string {
  const parts = path.split(".").filter((p) => p !== "" && p !== "properties");
  const named = parts.filter((p, i) => !(p === "title" && i > 0));
  const words = named.map((p) => FIELDS[p] ?? p.replace(/_/g, " "));
  return words.join(" ") || "value";
}

/** The variable an output expression prints: `cart.title | default("x")` → "cart.title"; null for a literal. */
function variableOf(expression: string): string | null {
  const found = /^\s*([A-Za-z_][\w.]*)/.exec(expression);
  return found?.[1] ?? null;
}

/** Template text as words: placeholders for details, no tags, comments or braces. */
export function templateWords(text: string): string {
  return text
    .replace(/\{#[\s\S]*?#\}/g, "")
    .replace(/\{%[\s\S]*?%\}/g, "")
    .replace(/\{\{([\s\S]*?)\}\}/g, (_, expression: string) => `‹${fieldWords(variableOf(expression) ?? "")}›`)
    // What a cut-off label leaves of an unclosed tag or output.
    .replace(/\{[{%#][\s\S]*$/, "…")
    .replace(/\s+/g, " ")
    .trim();
}

import { describe, expect, it } from "vitest";
import { fieldWords, templateWords } from "./words";

describe("templates in words", () => {
  it("names a person's details in words", () => {
    expect(fieldWords("first_name")).toBe("first name");
    expect(fieldWords("cart.title")).toBe("cart item");
    expect(fieldWords("cart.price")).toBe("cart item price");
    expect(fieldWords("last_viewed.title")).toBe("last viewed product");
    expect(fieldWords("properties.vip_level")).toBe("vip level");
    expect(fieldWords("")).toBe("value");
  });

  it("turns outputs into placeholders and drops tags and comments", () => {
    expect(templateWords('{{ first_name | default("Hi") }}, you left something behind')).toBe("‹first name›, you left something behind");
    expect(templateWords("Still thinking about {{cart.title}}?")).toBe("Still thinking about ‹cart item›?");
    expect(templateWords("{% if cart %}Your {{ cart.title }}{% else %}Your items{% endif %} {# note #}are waiting")).toBe("Your ‹cart item›Your items are waiting");
    expect(templateWords('{{ "literal" }} text')).toBe("‹value› text");
    expect(templateWords("Plain words")).toBe("Plain words");
  });

  it("leaves no braces from a label cut off inside a placeholder", () => {
    expect(templateWords("SMS: Hi {{ first_name }}, your {{ cart.tit…")).toBe("SMS: Hi ‹first name›, your …");
    expect(templateWords("Hello {% if")).toBe("Hello …");
  });
});

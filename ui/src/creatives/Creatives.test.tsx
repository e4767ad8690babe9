import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "../api/backend";
import { BackendContext } from "../api/context";
import { createFakeBackend } from "../api/fake";
import type { AdFormat } from "../bindings/creatives/AdFormat";
import type { TemplateDefinition } from "../bindings/creatives/TemplateDefinition";
import { Creatives, personIdOf, svgSource } from "./Creatives";

function renderCreatives(backend: Backend) {
  return render(
    <BackendContext.Provider value={backend}>
      <Creatives revision={0} />
    </BackendContext.Provider>,
  );
}

afterEach(cleanup);

describe("Creatives on the fake backend", () => {
  it("previews a template for a person, switches formats, edits with tokens, and exports", async () => {
    const backend = createFakeBackend();
    const asked: { definition: TemplateDefinition; format: AdFormat; personId: number }[] = [];
    const exported: string[] = [];
    const spied: Backend = {
      ...backend,
      creativePreview: (definition, format, personId) => {
        asked.push({ definition, format, personId });
        return backend.creativePreview(definition, format, personId);
      },
      exportCreative: async (definition, format, personId, kind, name) => {
        exported.push(`${kind}:${name}`);
        return backend.exportCreative(definition, format, personId, kind, name);
      },
    };
    renderCreatives(spied);
    const image = (await screen.findByTestId("creative-preview-image", {}, { timeout: 2000 })) as HTMLImageElement;
    expect(image.src.startsWith("data:image/svg+xml")).toBe(true);
    expect(image.dataset.format).toBe("meta_square");
    expect(asked.at(-1)?.personId).toBe(2266);
    expect(screen.getByTestId("creative-picks").textContent).toContain("In their cart since");
    expect(screen.getByTestId("creative-findings").textContent).toContain("never downloaded");

    fireEvent.click(screen.getByTestId("format-google_300x250"));
    await waitFor(() => expect((screen.getByTestId("creative-preview-image") as HTMLImageElement).dataset.format).toBe("google_300x250"));
    expect(screen.getByTestId("creative-size").textContent).toContain("300×250");

    // A token goes in where the cursor was; only the latest preview is shown.
    const headline = screen.getByTestId("creative-headline") as HTMLInputElement;
    fireEvent.change(headline, { target: { value: "Hi " } });
    fireEvent.click(screen.getByRole("button", { name: "{{person.first_name}}" }));
    expect(headline.value).toBe("Hi {{person.first_name}}");
    await waitFor(() => expect(asked.at(-1)?.definition.headline).toBe("Hi {{person.first_name}}"));

    fireEvent.click(screen.getByTestId("export-png"));
    await waitFor(() => expect(exported).toEqual(["png:aperture-co-still-thinking-google_300x250-2266.png"]));
    expect((await screen.findByTestId("creative-notice")).textContent).toContain("Exported PNG");
  });

  it("previews a typed person id once typing pauses, without Enter", async () => {
    const backend = createFakeBackend();
    const asked: number[] = [];
    renderCreatives({
      ...backend,
      creativePreview: (definition, format, personId) => {
        asked.push(personId);
        return backend.creativePreview(definition, format, personId);
      },
    });
    await screen.findByTestId("creative-preview-image", {}, { timeout: 2000 });
    fireEvent.change(screen.getByTestId("creative-person-id"), { target: { value: "4" } });
    fireEvent.change(screen.getByTestId("creative-person-id"), { target: { value: "42" } });
    await waitFor(() => expect(asked.at(-1)).toBe(42));
    expect(asked).not.toContain(4);
    expect((screen.getByTestId("creative-person") as HTMLSelectElement).value).toBe("42");
  });

  it("reads a person id only when it is one", () => {
    expect(personIdOf(" 42 ")).toBe(42);
    expect(personIdOf("4a")).toBeNull();
    expect(personIdOf("0")).toBeNull();
    expect(personIdOf("")).toBeNull();
  });

  it("saves a new template and reports a name clash where it happened", async () => {
    renderCreatives(createFakeBackend());
    fireEvent.click(await screen.findByTestId("new-creative"));
    fireEvent.change(screen.getByTestId("creative-name"), { target: { value: "Spring sale" } });
    fireEvent.click(screen.getByTestId("creative-save"));
    await waitFor(() => expect(screen.getByTestId("creative-templates").textContent).toContain("Spring sale"));
    fireEvent.click(screen.getByTestId("new-creative"));
    fireEvent.change(screen.getByTestId("creative-name"), { target: { value: "Spring sale" } });
    fireEvent.click(screen.getByTestId("creative-save"));
    const error = await screen.findByTestId("error-notice");
    expect(error.dataset.code).toBe("already_exists");
  });

  it("renders a grid over a segment's sample", async () => {
    renderCreatives(createFakeBackend());
    fireEvent.click(await screen.findByTestId("creative-grid-run"));
    const cells = await screen.findAllByTestId("creative-grid-cell");
    expect(cells.length).toBeGreaterThan(1);
    expect(screen.getByTestId("creative-grid-summary").textContent).toContain("people in");
  });

  it("shows untrusted markup as an image, never as HTML", () => {
    const url = svgSource('<svg xmlns="http://www.w3.org/2000/svg"><text>&lt;script&gt;</text></svg>');
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(url).not.toContain("<");
  });
});

// The Creatives section: templates on the left; the editor (text with tokens,
// colours, logo) beside the live preview for one person in the chosen format,
// with the products picked for them, why, and what the linter found; a grid
// of the ads a segment's sample would see below. Previews are asked for
// 250 ms after the last edit and only the latest answer is shown. Ads reach
// the page as SVG inside <img> (data: URL), which cannot run scripts.

import { Download, FolderOpen, LayoutGrid, Plus, Save, Trash2 } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type BackendError, toBackendError } from "../api/backend";
import type { CreativeFileKind } from "../api/creatives";
import { useBackend } from "../api/context";
import type { AdFormat } from "../bindings/creatives/AdFormat";
import type { Finding } from "../bindings/creatives/Finding";
import type { FormatSpec } from "../bindings/creatives/FormatSpec";
import type { LogoChoice } from "../bindings/creatives/LogoChoice";
import type { Pick } from "../bindings/creatives/Pick";
import type { Preview } from "../bindings/creatives/Preview";
import type { PreviewGrid } from "../bindings/creatives/PreviewGrid";
import type { SavedTemplate } from "../bindings/creatives/SavedTemplate";
import type { SuggestedPerson } from "../bindings/creatives/SuggestedPerson";
import type { TemplateDefinition } from "../bindings/creatives/TemplateDefinition";
import type { TokenHelp } from "../bindings/creatives/TokenHelp";
import type { SegmentDefinition } from "../bindings/segments/SegmentDefinition";
import { ErrorNotice } from "../components/ErrorNotice";
import { LatestOnly } from "../segments/rules";
import "./creatives.css";

const PREVIEW_DELAY_MS = 250;
const GRID_SIZE = 8;
const PEOPLE = 12;

type TextField = "headline" | "description" | "call_to_action";

interface Draft {
  id: number | null;
  definition: TemplateDefinition;
}

export function svgSource(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function personLabel(p: { id: number; first_name?: string; last_name?: string }): string {
  const name = [p.first_name, p.last_name].filter(Boolean).join(" ");
  return name ? `${name} (#${p.id})` : `Person #${p.id}`;
}

const PICK_LABEL: Record<Pick["kind"], string> = {
  carted: "In cart",
  viewed: "Viewed",
  co_bought: "Bought together",
  co_viewed: "Viewed together",
  best_seller: "Best seller",
};

function blankTemplate(from: TemplateDefinition | undefined): TemplateDefinition {
  return {
    name: "New template",
    headline: "{{product.title}}",
    description: "Still thinking it over, {{person.first_name | there}}?",
    call_to_action: "Shop now",
    business_name: from?.business_name ?? "My shop",
    colors: from?.colors ?? { background: "#ffffff", text: "#111827", accent: "#2563eb", accent_text: "#ffffff" },
    logo: from?.logo,
    default_format: "meta_square",
  };
}

export function Creatives(props: { revision: number }) {
  const backend = useBackend();
  const [templates, setTemplates] = useState<SavedTemplate[] | null>(null);
  const [formats, setFormats] = useState<FormatSpec[]>([]);
  const [logos, setLogos] = useState<LogoChoice[]>([]);
  const [tokens, setTokens] = useState<TokenHelp[]>([]);
  const [people, setPeople] = useState<SuggestedPerson[]>([]);
  const [segments, setSegments] = useState<SegmentDefinition[]>([]);
  const [folder, setFolder] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [format, setFormat] = useState<AdFormat>("meta_square");
  const [personId, setPersonId] = useState<number | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([
      backend.creativeTemplates(),
      backend.creativeFormats(),
      backend.creativeLogos(),
      backend.creativeTokens(),
      backend.creativePeople(PEOPLE),
      backend.segments(),
      backend.segmentTemplates(),
      backend.creativeImagesFolder(),
    ]).then(
      ([list, fmts, logoList, tokenList, suggested, saved, segTemplates, imagesFolder]) => {
        if (!live) return;
        setTemplates(list);
        setFormats(fmts);
        setLogos(logoList);
        setTokens(tokenList);
        setPeople(suggested);
        setSegments([...saved.map((s) => s.definition), ...segTemplates.map((t) => t.definition)]);
        setFolder(imagesFolder);
        const first = list[0];
        if (first) {
          setDraft({ id: first.id, definition: first.definition });
          setFormat(first.definition.default_format);
        }
        const firstPerson = suggested[0];
        if (firstPerson) setPersonId(firstPerson.person.id);
      },
      (e: unknown) => live && setError(toBackendError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, props.revision]);

  const openTemplate = (t: SavedTemplate) => {
    setDraft({ id: t.id, definition: t.definition });
    setFormat(t.definition.default_format);
    setError(null);
  };

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    try {
      const saved = await backend.saveCreativeTemplate(draft.id, draft.definition);
      setTemplates(await backend.creativeTemplates());
      setDraft({ id: saved.id, definition: saved.definition });
      setNotice(`Saved “${saved.definition.name}”.`);
      setError(null);
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!draft || draft.id === null) return;
    setBusy(true);
    try {
      await backend.deleteCreativeTemplate(draft.id);
      const list = await backend.creativeTemplates();
      setTemplates(list);
      const first = list[0];
      setDraft(first ? { id: first.id, definition: first.definition } : null);
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setBusy(false);
    }
  };

  const pickFolder = async () => {
    try {
      const chosen = await backend.pickCreativeImagesFolder();
      if (chosen !== null) {
        setFolder(chosen);
        // Re-render with the images now found.
        setDraft((d) => (d ? { ...d, definition: { ...d.definition } } : d));
      }
    } catch (e) {
      setError(toBackendError(e));
    }
  };

  const spec = formats.find((f) => f.format === format);

  return (
    <section className="page" data-testid="creatives">
      <header className="page-header">
        <div>
          <h1>Creatives</h1>
          <p className="muted">Dynamic product ads, previewed for the people who will see them.</p>
        </div>
        <div className="row header-actions">
          <button type="button" className="button" onClick={() => void pickFolder()} data-testid="creative-images-folder" title={folder ?? undefined}>
            <FolderOpen size={16} aria-hidden /> {folder ? "Images: " + folder.split(/[\\/]/).pop() : "Product images folder…"}
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="new-creative"
            onClick={() => setDraft({ id: null, definition: blankTemplate(draft?.definition) })}
          >
            <Plus size={16} aria-hidden /> New template
          </button>
        </div>
      </header>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {notice && (
        <p className="notice notice-info" role="status" data-testid="creative-notice">
          {notice}
        </p>
      )}
      <div className="creatives-layout">
        <div className="card template-strip">
          <h2>Templates</h2>
          {templates && templates.length === 0 && <p className="muted small">None. Make one with New template.</p>}
          <ul className="template-list" data-testid="creative-templates">
            {(templates ?? []).map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  className={`template-button${draft?.id === t.id ? " active" : ""}`}
                  data-testid="creative-template"
                  aria-pressed={draft?.id === t.id}
                  onClick={() => openTemplate(t)}
                >
                  <span className="swatch" style={{ background: t.definition.colors.background, borderColor: t.definition.colors.accent }} aria-hidden>
                    <span style={{ background: t.definition.colors.accent }} />
                  </span>
                  <span className="list-item-body">
                    <span className="cell-title">{t.definition.name}</span>
                    <span className="cell-sub">{formats.find((f) => f.format === t.definition.default_format)?.label ?? t.definition.default_format}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        {draft ? (
          <div className="creatives-main">
            <div className="creatives-columns">
              <Editor
                draft={draft}
                spec={spec}
                formats={formats}
                logos={logos}
                tokens={tokens}
                busy={busy}
                onChange={(definition) => setDraft({ ...draft, definition })}
                onSave={() => void save()}
                onDelete={() => void remove()}
              />
              <PreviewPane
                definition={draft.definition}
                formats={formats}
                format={format}
                onFormat={setFormat}
                people={people}
                personId={personId}
                onPerson={setPersonId}
                onNotice={setNotice}
              />
            </div>
            <Grid definition={draft.definition} format={format} segments={segments} />
          </div>
        ) : (
          <div className="card empty">
            <p className="muted">Choose a template, or make a new one.</p>
          </div>
        )}
      </div>
    </section>
  );
}

function Counter({ text, limit }: { text: string; limit: number | undefined }) {
  if (limit === undefined) return null;
  // Tokens expand per person, so the count of the raw text is a hint; the
  // linter judges the filled text.
  const hasTokens = text.includes("{{");
  const over = !hasTokens && text.length > limit;
  return (
    <span className={`small ${over ? "over-limit" : "muted"}`}>
      {hasTokens ? `tokens · limit ${limit}` : `${text.length}/${limit}`}
    </span>
  );
}

function Editor(props: {
  draft: Draft;
  spec: FormatSpec | undefined;
  formats: FormatSpec[];
  logos: LogoChoice[];
  tokens: TokenHelp[];
  busy: boolean;
  onChange: (d: TemplateDefinition) => void;
  onSave: () => void;
  onDelete: () => void;
}) {
  const d = props.draft.definition;
  const focused = useRef<{ field: TextField; at: number }>({ field: "headline", at: d.headline.length });
  const set = (patch: Partial<TemplateDefinition>) => props.onChange({ ...d, ...patch });
  const limits = props.spec?.limits;
  const track = (field: TextField) => (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
    focused.current = { field, at: e.currentTarget.selectionStart ?? e.currentTarget.value.length };
  };
  const insert = (token: string) => {
    const { field, at } = focused.current;
    const text = d[field];
    const pos = Math.min(at, text.length);
    set({ [field]: text.slice(0, pos) + token + text.slice(pos) } as Partial<TemplateDefinition>);
    focused.current = { field, at: pos + token.length };
  };
  const colour = (key: keyof TemplateDefinition["colors"], label: string) => (
    <label className="colour-field">
      <input type="color" value={d.colors[key]} onChange={(e) => set({ colors: { ...d.colors, [key]: e.target.value } })} aria-label={label} />
      <span className="small">{label}</span>
    </label>
  );
  return (
    <div className="card creative-editor" data-testid="creative-editor">
      <label className="field">
        <span>Name</span>
        <input className="input" data-testid="creative-name" value={d.name} onChange={(e) => set({ name: e.target.value })} />
      </label>
      <label className="field">
        <span className="field-row">
          Headline <Counter text={d.headline} limit={limits?.headline} />
        </span>
        <input
          className="input"
          data-testid="creative-headline"
          value={d.headline}
          onChange={(e) => {
            set({ headline: e.target.value });
            track("headline")(e);
          }}
          onSelect={track("headline")}
        />
      </label>
      <label className="field">
        <span className="field-row">
          Description <Counter text={d.description} limit={limits?.description} />
        </span>
        <textarea
          className="input"
          rows={3}
          data-testid="creative-description"
          value={d.description}
          onChange={(e) => {
            set({ description: e.target.value });
            track("description")(e);
          }}
          onSelect={track("description")}
        />
      </label>
      <div className="creative-two">
        <label className="field">
          <span className="field-row">
            Call to action <Counter text={d.call_to_action} limit={limits?.call_to_action} />
          </span>
          <input
            className="input"
            data-testid="creative-cta"
            value={d.call_to_action}
            onChange={(e) => {
              set({ call_to_action: e.target.value });
              track("call_to_action")(e);
            }}
            onSelect={track("call_to_action")}
          />
        </label>
        <label className="field">
          <span className="field-row">
            Business name <Counter text={d.business_name} limit={limits?.business_name} />
          </span>
          <input className="input" value={d.business_name} onChange={(e) => set({ business_name: e.target.value })} />
        </label>
      </div>
      <div className="token-help" data-testid="token-help">
        <span className="small muted">Insert a token where the cursor was:</span>
        <div className="token-list">
          {props.tokens.map((t) => (
            <button key={t.token} type="button" className="chip" title={`${t.meaning} — e.g. ${t.example}`} onClick={() => insert(t.token)}>
              {t.token}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <span>Colours</span>
        <div className="colour-row">
          {colour("background", "Background")}
          {colour("text", "Text")}
          {colour("accent", "Price and button")}
          {colour("accent_text", "Button text")}
        </div>
      </div>
      <div className="creative-two">
        <label className="field">
          <span>Logo (from assets)</span>
          <select className="input" value={d.logo ?? ""} onChange={(e) => set({ logo: e.target.value || undefined })} data-testid="creative-logo">
            <option value="">No logo</option>
            {props.logos.map((l) => (
              <option key={l.name} value={l.name}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Usual format</span>
          <select className="input" value={d.default_format} onChange={(e) => set({ default_format: e.target.value as AdFormat })}>
            {props.formats.map((f) => (
              <option key={f.format} value={f.format}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <button type="button" className="button primary" data-testid="creative-save" onClick={props.onSave} disabled={props.busy}>
          <Save size={16} aria-hidden /> {props.draft.id === null ? "Save template" : "Save changes"}
        </button>
        {props.draft.id !== null && (
          <button type="button" className="button" aria-label="Delete template" onClick={props.onDelete} disabled={props.busy}>
            <Trash2 size={16} aria-hidden /> Delete
          </button>
        )}
      </div>
    </div>
  );
}

/** How long typing a person id pauses before that person is previewed. */
const TYPED_ID_PAUSE_MS = 350;

/** A typed person id, or null while it is not one. */
export function personIdOf(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const id = Number(t);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

function usePreview(definition: TemplateDefinition, format: AdFormat, personId: number | null) {
  const backend = useBackend();
  const latest = useMemo(() => new LatestOnly(), []);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (personId === null) return;
    const ticket = latest.next();
    setPending(true);
    const timer = window.setTimeout(() => {
      backend.creativePreview(definition, format, personId).then(
        (p) => {
          if (!latest.isLatest(ticket)) return;
          setPreview(p);
          setError(null);
          setPending(false);
        },
        (e: unknown) => {
          if (!latest.isLatest(ticket)) return;
          setError(toBackendError(e));
          setPending(false);
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [backend, latest, definition, format, personId]);
  return { preview, error, pending };
}

function Findings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p className="small lint-ok">Nothing to fix.</p>;
  return (
    <ul className="findings" data-testid="creative-findings">
      {findings.map((f, i) => (
        <li key={i} className={`finding finding-${f.severity}`} data-code={f.code}>
          <span className="finding-tag">{f.severity === "error" ? "Fix" : "Check"}</span>
          <span>{f.message}</span>
        </li>
      ))}
    </ul>
  );
}

function PreviewPane(props: {
  definition: TemplateDefinition;
  formats: FormatSpec[];
  format: AdFormat;
  onFormat: (f: AdFormat) => void;
  people: SuggestedPerson[];
  personId: number | null;
  onPerson: (id: number) => void;
  onNotice: (text: string) => void;
}) {
  const backend = useBackend();
  const { preview, error, pending } = usePreview(props.definition, props.format, props.personId);
  const [exportError, setExportError] = useState<BackendError | null>(null);
  const [typedId, setTypedId] = useState("");
  const { onPerson } = props;
  // A typed id previews once typing pauses; Enter previews at once.
  useEffect(() => {
    const id = personIdOf(typedId);
    if (id === null) return;
    const timer = setTimeout(() => onPerson(id), TYPED_ID_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typedId, onPerson]);

  const exportAs = useCallback(
    async (kind: CreativeFileKind) => {
      if (props.personId === null) return;
      const name = `${props.definition.name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase()}-${props.format}-${props.personId}.${kind}`;
      try {
        const bytes = await backend.exportCreative(props.definition, props.format, props.personId, kind, name);
        if (bytes !== null) props.onNotice(`Exported ${kind.toUpperCase()} (${Math.round(bytes / 1024)} KB).`);
        setExportError(null);
      } catch (e) {
        setExportError(toBackendError(e));
      }
    },
    [backend, props],
  );

  const isCarousel = props.format === "meta_carousel";
  return (
    <div className="card creative-preview" aria-busy={pending}>
      <div className="format-switcher" role="radiogroup" aria-label="Format" data-testid="format-switcher">
        {(["meta", "google"] as const).map((platform) => (
          <div key={platform} className="format-group">
            <span className="small muted">{platform === "meta" ? "Meta" : "Google"}</span>
            <span className="segmented">
              {props.formats
                .filter((f) => f.platform === platform)
                .map((f) => (
                  <button
                    key={f.format}
                    type="button"
                    role="radio"
                    aria-checked={props.format === f.format}
                    className={props.format === f.format ? "active" : ""}
                    data-testid={`format-${f.format}`}
                    onClick={() => props.onFormat(f.format)}
                  >
                    {f.label.replace(/^(Meta|Google) /, "")}
                  </button>
                ))}
            </span>
          </div>
        ))}
      </div>
      <div className="row preview-person">
        <label className="field grow">
          <span>Preview as</span>
          <select
            className="input"
            data-testid="creative-person"
            value={props.personId ?? ""}
            onChange={(e) => props.onPerson(Number(e.target.value))}
          >
            {props.personId !== null && !props.people.some((p) => p.person.id === props.personId) && (
              <option value={props.personId}>Person #{props.personId}</option>
            )}
            {props.people.map((p) => (
              <option key={p.person.id} value={p.person.id}>
                {personLabel(p.person)} · {p.person.locale} · {p.summary}
              </option>
            ))}
          </select>
        </label>
        <form
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            const id = personIdOf(typedId);
            if (id !== null) props.onPerson(id);
          }}
        >
          <span>or person id</span>
          <input className="input person-id" data-testid="creative-person-id" inputMode="numeric" value={typedId} onChange={(e) => setTypedId(e.target.value)} placeholder="e.g. 42" />
        </form>
      </div>
      {props.personId === null && <p className="muted">No one has product behaviour to preview yet. Import events, or type a person id.</p>}
      {error && <ErrorNotice error={error} />}
      {exportError && <ErrorNotice error={exportError} onDismiss={() => setExportError(null)} />}
      {preview && (
        <>
          <div className={`ad-stage${isCarousel ? " carousel" : ""}`} data-testid="creative-stage">
            <img
              src={svgSource(preview.ad.svg)}
              alt={`Ad for ${personLabel(preview.person)} in ${props.format}`}
              data-testid="creative-preview-image"
              data-format={preview.ad.format}
              data-width={preview.ad.width}
              data-height={preview.ad.height}
              style={{ aspectRatio: `${preview.ad.width} / ${preview.ad.height}` }}
            />
          </div>
          <div className="row preview-actions">
            <span className="muted small" data-testid="creative-size">
              {preview.ad.width}×{preview.ad.height} px · for {personLabel(preview.person)} · {preview.person.locale}
            </span>
            <button type="button" className="button" data-testid="export-svg" onClick={() => void exportAs("svg")}>
              <Download size={16} aria-hidden /> SVG
            </button>
            <button type="button" className="button primary" data-testid="export-png" onClick={() => void exportAs("png")}>
              <Download size={16} aria-hidden /> Export PNG
            </button>
          </div>
          <div className="preview-details">
            <div>
              <h3>Products and why</h3>
              <ol className="picks" data-testid="creative-picks">
                {preview.picks.map((p) => (
                  <li key={p.product.id} className={preview.ad.product_ids.includes(p.product.id) ? "shown" : "spare"}>
                    <span className={`pick-kind pick-${p.kind}`}>{PICK_LABEL[p.kind]}</span>
                    <span className="cell-title">{p.product.title}</span>
                    <span className="cell-sub">{p.reason}</span>
                  </li>
                ))}
              </ol>
            </div>
            <div>
              <h3>Linter</h3>
              <Findings findings={preview.findings} />
            </div>
          </div>
        </>
      )}
    </div>
  );
}

function Grid(props: { definition: TemplateDefinition; format: AdFormat; segments: SegmentDefinition[] }) {
  const backend = useBackend();
  const [segmentName, setSegmentName] = useState("");
  const [grid, setGrid] = useState<PreviewGrid | null>(null);
  const [error, setError] = useState<BackendError | null>(null);
  const [pending, setPending] = useState(false);
  const [seed, setSeed] = useState(1);
  const segment = props.segments.find((s) => s.name === segmentName) ?? props.segments[0];

  const run = async (nextSeed: number) => {
    if (!segment) return;
    setPending(true);
    setSeed(nextSeed);
    try {
      setGrid(await backend.creativeGrid(props.definition, props.format, segment, GRID_SIZE, nextSeed));
      setError(null);
    } catch (e) {
      setError(toBackendError(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="card creative-grid-card" aria-busy={pending}>
      <div className="card-header">
        <h2>A segment&apos;s sample</h2>
        <div className="row">
          <select className="input" value={segment?.name ?? ""} onChange={(e) => setSegmentName(e.target.value)} data-testid="creative-grid-segment">
            {props.segments.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
          <button type="button" className="button" data-testid="creative-grid-run" onClick={() => void run(seed)} disabled={!segment || pending}>
            <LayoutGrid size={16} aria-hidden /> {pending ? "Rendering…" : "Preview sample"}
          </button>
          {grid && (
            <button type="button" className="button" onClick={() => void run(seed + 1)} disabled={pending}>
              Another sample
            </button>
          )}
        </div>
      </div>
      {error && <ErrorNotice error={error} />}
      {grid && (
        <>
          <p className="muted small" data-testid="creative-grid-summary">
            {grid.cells.length} of {grid.members.toLocaleString()} people in {grid.segment}
            {grid.cells_with_errors > 0 ? ` · ${grid.cells_with_errors} with something to fix` : " · nothing to fix"}
          </p>
          <ul className={`creative-grid${props.format === "meta_carousel" ? " wide" : ""}`} data-testid="creative-grid">
            {grid.cells.map((c) => {
              const errors = c.findings.filter((f) => f.severity === "error").length;
              return (
                <li key={c.person.id} className="grid-cell" data-testid="creative-grid-cell">
                  <img src={svgSource(c.ad.svg)} alt={`Ad for ${personLabel(c.person)}`} />
                  <span className="cell-title">{personLabel(c.person)}</span>
                  <span className="cell-sub">{c.picks[0]?.reason ?? "No product"}</span>
                  {errors > 0 && <span className="finding-tag finding-error-tag">{errors} to fix</span>}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

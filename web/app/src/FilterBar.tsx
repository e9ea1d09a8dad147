/**
 * The ordered filters: each shown as a removable chip in the order it was added, a form to add or change one,
 * and the caption line every view and export repeats. A view passes which filters it applies; the others are
 * marked "not applied to this view" rather than silently ignored.
 */
import { useState, type FormEvent } from "react";
import { ALL_LAYERS } from "../../../src/campaign/layers.js";
import { useCtx } from "./ctx.js";
import {
  caption,
  captionLine,
  FILTER_NAMES,
  removeFilter,
  setFilter,
  validFilter,
  type FilterName,
} from "./filters.js";
import type { Key } from "./i18n.js";

export function useCaption(applies: (name: FilterName) => boolean): string {
  const { route, t, layer } = useCtx();
  return captionLine(
    route.filters,
    (n) => t(`f_${n}` as Key),
    applies,
    t("notApplied"),
    t("noFilters"),
    layer,
  );
}

const PLACEHOLDER: Record<FilterName, string> = {
  layer: ALL_LAYERS.join(", "),
  window: "60",
  score: "0.5",
  dates: "2024-03-01..2024-03-10",
  platform: "twitter",
  campaign: "C1",
  ties: "3",
};

export function FilterBar({ applies }: { applies: (name: FilterName) => boolean }) {
  const { route, go, t, layer } = useCtx();
  const [name, setName] = useState<FilterName>("score");
  const [value, setValue] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const nameOf = (n: FilterName) => t(`f_${n}` as Key);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = name === "dates" ? `${from}..${to}` : name === "layer" ? value || ALL_LAYERS[0]! : value.trim();
    const f = { name, value: v };
    if (!validFilter(f)) {
      setProblem(`${nameOf(name)}: ${PLACEHOLDER[name]}`);
      return;
    }
    setProblem(null);
    setValue("");
    go({ filters: setFilter(route.filters, f) });
  };
  return (
    <section className="filters" aria-labelledby="filters-h">
      <h2 id="filters-h">{t("filters")}</h2>
      {route.filters.length === 0 ? (
        <p className="muted">{t("noFilters")}</p>
      ) : (
        <ol className="chips">
          {route.filters.map((f) => (
            <li key={f.name} className={applies(f.name) ? "chip" : "chip off"}>
              <span>{caption(f, nameOf, layer)}</span>
              {!applies(f.name) && <span className="muted"> ({t("notApplied")})</span>}
              <button
                type="button"
                className="link"
                aria-label={`${t("remove")}: ${caption(f, nameOf, layer)}`}
                onClick={() => go({ filters: removeFilter(route.filters, f.name) })}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      )}
      {route.filters.length > 0 && (
        <button type="button" className="small" onClick={() => go({ filters: [] })}>
          {t("clearFilters")}
        </button>
      )}
      <form className="add-filter" onSubmit={submit}>
        <label>
          {t("addFilter")}
          <select
            value={name}
            onChange={(e) => {
              setName(e.target.value as FilterName);
              setValue("");
            }}
          >
            {FILTER_NAMES.map((n) => (
              <option key={n} value={n}>
                {nameOf(n)}
              </option>
            ))}
          </select>
        </label>
        {name === "dates" ? (
          <>
            <label>
              {t("from")}
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </label>
            <label>
              {t("to")}
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </label>
          </>
        ) : name === "layer" ? (
          // the layers are a closed list: chosen, not typed (a typed "Quote" or "quotes" was refused)
          <label>
            {t("value")}
            <select value={value || ALL_LAYERS[0]} onChange={(e) => setValue(e.target.value)}>
              {ALL_LAYERS.map((l) => (
                <option key={l} value={l}>
                  {layer(l)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label>
            {t("value")}
            <input
              value={value}
              dir="ltr"
              placeholder={PLACEHOLDER[name]}
              onChange={(e) => setValue(e.target.value)}
              required
            />
          </label>
        )}
        <button type="submit">{t("apply")}</button>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
      </form>
    </section>
  );
}

/** The caption line under a view: the filters in order, and what is on screen. */
export function ViewCaption({
  applies,
  shown,
  total,
  what,
}: {
  applies: (name: FilterName) => boolean;
  shown: number;
  total: number;
  what: Key;
}) {
  const { t, num } = useCtx();
  const line = useCaption(applies);
  return (
    <p className="view-caption" data-shown={shown} data-total={total}>
      <strong className="showing" role="status">
        {t("showing", { n: num(shown), m: num(total), what: t(what) })}
      </strong>
      <span className="muted">
        {" "}
        · {t("filters")}: {line}
      </span>
    </p>
  );
}

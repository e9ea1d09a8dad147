/**
 * Analyst labels and notes on campaigns, accounts and ties, stored in the case. Targets are keyed by ids that
 * survive re-running analyze: an account key, a tie "a|b" with a < b, and for a campaign the hash of its sorted
 * member keys (its number, C1, C2, ..., is reassigned on every run and kept only as context). Every write is one
 * transaction that also appends the row before and after to `edit_history`, which is what undo reverts.
 */
import { createHash, randomUUID } from "node:crypto";
import type { CaseStore } from "../store/case.js";
import { isoMsSql } from "../store/sql-time.js";

export type TargetKind = "campaign" | "account" | "tie";
export const LABELS = ["confirmed", "benign", "unsure"] as const;
export type Label = (typeof LABELS)[number];

export interface Target {
  kind: TargetKind;
  id: string;
}

/** History entries kept; older ones are dropped (undo reaches back this far). */
export const HISTORY_KEPT = 200;

/** The stable id of a campaign: its members, not its number. */
export function campaignKey(memberKeys: Iterable<string>): string {
  const sorted = [...memberKeys].sort();
  return "cm_" + createHash("sha256").update(sorted.join("\n"), "utf8").digest("hex").slice(0, 16);
}

/**
 * A tie's id: the two account keys in order, so either order names the same tie, joined by `|`. Account ids may hold
 * `|` themselves, so each key's `\` and `|` are written `\\` and `\|`: the ties (p, q|r) and (p|q, r) have two ids.
 * Keys without either (nearly all) are written as they are, as before.
 */
export function tieKey(a: string, b: string): string {
  const esc = (k: string): string => k.replace(/[\\|]/g, (c) => `\\${c}`);
  return a < b ? `${esc(a)}|${esc(b)}` : `${esc(b)}|${esc(a)}`;
}

/** The two keys of a tie id written by `tieKey` (escapes undone), or null when it has not one unescaped `|`. */
export function splitTieKey(id: string): [string, string] | null {
  const parts = [""];
  for (let i = 0; i < id.length; i++) {
    const c = id[i]!;
    if (c === "\\" && i + 1 < id.length) parts[parts.length - 1] += id[++i]!;
    else if (c === "|") parts.push("");
    else parts[parts.length - 1] += c;
  }
  return parts.length === 2 ? [parts[0]!, parts[1]!] : null;
}

export interface LabelRow {
  target_kind: TargetKind;
  target_id: string;
  label: Label;
  context: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
}

export interface NoteRow {
  id: string;
  target_kind: TargetKind;
  target_id: string;
  text: string;
  created_at: string;
  updated_at: string;
}

interface RawLabel extends Omit<LabelRow, "context"> {
  context: string | null;
}

const labelRow = (r: RawLabel): LabelRow => ({
  ...r,
  context: r.context === null ? null : (JSON.parse(r.context) as Record<string, unknown>),
});

export class Annotations {
  constructor(
    private readonly store: CaseStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async labels(target?: Target): Promise<LabelRow[]> {
    const rows = await this.store.all<RawLabel>(
      `SELECT target_kind, target_id, label, context::VARCHAR AS context,
              ${isoMsSql("created_at")} AS created_at, ${isoMsSql("updated_at")} AS updated_at
         FROM labels
        ${target ? "WHERE target_kind = $kind AND target_id = $id" : ""}
        ORDER BY updated_at DESC, target_kind, target_id`,
      target ? { kind: target.kind, id: target.id } : undefined,
    );
    return rows.map(labelRow);
  }

  async label(target: Target): Promise<LabelRow | null> {
    return (await this.labels(target))[0] ?? null;
  }

  /** Labels of many targets of one kind, by id. */
  async labelsOf(kind: TargetKind, ids: string[]): Promise<Map<string, Label>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.all<{ target_id: string; label: Label }>(
      `SELECT target_id, label FROM labels
        WHERE target_kind = $kind AND target_id IN (SELECT unnest($ids::JSON::VARCHAR[]))`,
      { kind, ids: JSON.stringify(ids) },
    );
    return new Map(rows.map((r) => [r.target_id, r.label]));
  }

  async notes(target?: Target): Promise<NoteRow[]> {
    return this.store.all<NoteRow>(
      `SELECT id, target_kind, target_id, text, ${isoMsSql("created_at")} AS created_at,
              ${isoMsSql("updated_at")} AS updated_at
         FROM notes
        ${target ? "WHERE target_kind = $kind AND target_id = $id" : ""}
        ORDER BY created_at, id`,
      target ? { kind: target.kind, id: target.id } : undefined,
    );
  }

  async note(id: string): Promise<NoteRow | null> {
    const rows = await this.store.all<NoteRow>(
      `SELECT id, target_kind, target_id, text, ${isoMsSql("created_at")} AS created_at,
              ${isoMsSql("updated_at")} AS updated_at FROM notes WHERE id = $id`,
      { id },
    );
    return rows[0] ?? null;
  }

  private async record(
    tbl: "labels" | "notes",
    action: string,
    target: Target,
    rowKey: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    const seq = ((await this.store.scalar<number>("SELECT max(seq) FROM edit_history")) ?? 0) + 1;
    await this.store.conn.run(
      `INSERT INTO edit_history VALUES ($seq, $at::TIMESTAMPTZ, $tbl, $action, $kind, $id, $key,
         $before::JSON, $after::JSON, false)`,
      {
        seq,
        at: this.now().toISOString(),
        tbl,
        action,
        kind: target.kind,
        id: target.id,
        key: rowKey,
        before: before === null ? null : JSON.stringify(before),
        after: after === null ? null : JSON.stringify(after),
      },
    );
    await this.store.conn.run("DELETE FROM edit_history WHERE seq <= $old", { old: seq - HISTORY_KEPT });
  }

  private async putLabelRow(row: LabelRow): Promise<void> {
    await this.store.conn.run(
      `INSERT OR REPLACE INTO labels VALUES ($kind, $id, $label, $context::JSON, $created::TIMESTAMPTZ,
         $updated::TIMESTAMPTZ)`,
      {
        kind: row.target_kind,
        id: row.target_id,
        label: row.label,
        context: row.context === null ? null : JSON.stringify(row.context),
        created: row.created_at,
        updated: row.updated_at,
      },
    );
  }

  private async putNoteRow(row: NoteRow): Promise<void> {
    await this.store.conn.run(
      `INSERT OR REPLACE INTO notes VALUES ($id, $kind, $tid, NULL, $text, $created::TIMESTAMPTZ,
         $updated::TIMESTAMPTZ)`,
      {
        id: row.id,
        kind: row.target_kind,
        tid: row.target_id,
        text: row.text,
        created: row.created_at,
        updated: row.updated_at,
      },
    );
  }

  /** Set (or change) the label of a target. */
  async setLabel(target: Target, label: Label, context: Record<string, unknown> | null): Promise<LabelRow> {
    return this.store.transaction(async () => {
      const before = await this.label(target);
      const at = this.now().toISOString();
      const after: LabelRow = {
        target_kind: target.kind,
        target_id: target.id,
        label,
        context,
        created_at: before?.created_at ?? at,
        updated_at: at,
      };
      await this.putLabelRow(after);
      await this.record("labels", before ? "update" : "create", target, target.id, before, after);
      return after;
    });
  }

  /** Remove a target's label; null when it had none (nothing written). */
  async deleteLabel(target: Target): Promise<LabelRow | null> {
    return this.store.transaction(async () => {
      const before = await this.label(target);
      if (!before) return null;
      await this.store.conn.run("DELETE FROM labels WHERE target_kind = $kind AND target_id = $id", {
        kind: target.kind,
        id: target.id,
      });
      await this.record("labels", "delete", target, target.id, before, null);
      return before;
    });
  }

  /** Add a note to a target. */
  async addNote(target: Target, text: string): Promise<NoteRow> {
    return this.store.transaction(async () => {
      const at = this.now().toISOString();
      const row: NoteRow = {
        id: randomUUID(),
        target_kind: target.kind,
        target_id: target.id,
        text,
        created_at: at,
        updated_at: at,
      };
      await this.putNoteRow(row);
      await this.record("notes", "create", target, row.id, null, row);
      return row;
    });
  }

  /** Change a note's text; null when there is no such note. */
  async editNote(id: string, text: string): Promise<NoteRow | null> {
    return this.store.transaction(async () => {
      const before = await this.note(id);
      if (!before) return null;
      const after: NoteRow = { ...before, text, updated_at: this.now().toISOString() };
      await this.store.conn.run(
        "UPDATE notes SET text = $text, updated_at = $at::TIMESTAMPTZ WHERE id = $id",
        { id, text, at: after.updated_at },
      );
      await this.record(
        "notes",
        "update",
        { kind: before.target_kind, id: before.target_id },
        id,
        before,
        after,
      );
      return after;
    });
  }

  async deleteNote(id: string): Promise<NoteRow | null> {
    return this.store.transaction(async () => {
      const before = await this.note(id);
      if (!before) return null;
      await this.store.conn.run("DELETE FROM notes WHERE id = $id", { id });
      await this.record(
        "notes",
        "delete",
        { kind: before.target_kind, id: before.target_id },
        id,
        before,
        null,
      );
      return before;
    });
  }

  /** Revert the latest write not yet undone; null when there is none. One transaction. */
  async undo(): Promise<{ seq: number; table: string; action: string; target: Target } | null> {
    return this.store.transaction(async () => {
      const rows = await this.store.all<{
        seq: number;
        tbl: "labels" | "notes";
        action: string;
        target_kind: TargetKind;
        target_id: string;
        row_key: string;
        before: string | null;
      }>(
        `SELECT seq, tbl, action, target_kind, target_id, row_key, row_before::VARCHAR AS before
           FROM edit_history WHERE NOT undone ORDER BY seq DESC LIMIT 1`,
      );
      const h = rows[0];
      if (!h) return null;
      if (h.tbl === "labels") {
        if (h.before === null) {
          await this.store.conn.run("DELETE FROM labels WHERE target_kind = $kind AND target_id = $id", {
            kind: h.target_kind,
            id: h.target_id,
          });
        } else await this.putLabelRow(JSON.parse(h.before) as LabelRow);
      } else {
        if (h.before === null)
          await this.store.conn.run("DELETE FROM notes WHERE id = $id", { id: h.row_key });
        else await this.putNoteRow(JSON.parse(h.before) as NoteRow);
      }
      await this.store.conn.run("UPDATE edit_history SET undone = true WHERE seq = $seq", { seq: h.seq });
      return { seq: h.seq, table: h.tbl, action: h.action, target: { kind: h.target_kind, id: h.target_id } };
    });
  }

  async counts(): Promise<{ labels: number; notes: number }> {
    const labels = (await this.store.scalar<number>("SELECT count(*)::INTEGER FROM labels")) ?? 0;
    const notes = (await this.store.scalar<number>("SELECT count(*)::INTEGER FROM notes")) ?? 0;
    return { labels, notes };
  }
}

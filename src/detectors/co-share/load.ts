/**
 * From the case's shares as numbers (src/store/shares.ts) to the kernel's typed arrays, one layer at a time.
 */
import type { ObjectKind } from "../../model/index.js";
import type { CaseStore } from "../../store/case.js";
import { readColumns } from "../../store/columns.js";

export interface LayerShares {
  layer: ObjectKind;
  rows: number;
  object: Int32Array;
  account: Int32Array;
  tsMs: Float64Array;
  /** Dense post id of each share. */
  post: Int32Array;
  objects: number;
}

export async function layerCounts(store: CaseStore): Promise<Map<ObjectKind, number>> {
  const rows = await store.all<{ kind: ObjectKind; n: number }>(
    "SELECT kind, count(*)::DOUBLE AS n FROM shared_objects GROUP BY kind ORDER BY kind",
  );
  return new Map(rows.map((r) => [r.kind, r.n]));
}

/**
 * The shares of one layer that `buildShares` (src/store/shares.ts) wrote, sorted by object, then time, then
 * account, then post.
 */
export async function loadLayer(store: CaseStore, layer: ObjectKind): Promise<LayerShares> {
  const shares =
    (await store.scalar<number>(`SELECT count(*)::DOUBLE FROM chorus_shares WHERE kind = $layer`, {
      layer,
    })) ?? 0;
  const { rows, cols } = await readColumns(
    store,
    `SELECT oid AS object, aid AS account, t AS ts, pid AS post
       FROM chorus_shares WHERE kind = $layer
      ORDER BY oid, t, aid, pid`,
    { object: "int32", account: "int32", ts: "float64", post: "int32" },
    { layer },
    { rowsAtMost: shares },
  );
  const objects =
    (await store.scalar<number>(`SELECT count(*)::INTEGER FROM chorus_object_ids WHERE kind = $layer`, {
      layer,
    })) ?? 0;
  return { layer, rows, object: cols.object, account: cols.account, tsMs: cols.ts, post: cols.post, objects };
}

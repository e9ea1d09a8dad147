/**
 * The case file's schema as an ordered list of migrations. A case records its schema version in `meta`; opening a
 * case applies the missing migrations in one transaction each, and refuses a case written by a newer Chorus.
 */
import {
  CO_SHARE_EVIDENCE_COLUMNS,
  EDGE_ROWS,
  edgesViewSql,
  evidenceTierSql,
  SYNC_EVIDENCE_COLUMNS,
  TIE_ACCOUNTS,
  TIE_EXAMPLE_REF_COLUMNS,
  TIE_OBJECTS,
  TIE_POSTS,
  TIE_REF_COLUMNS,
} from "./edges.js";

export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

/** A tie's tier as its JSON evidence states it (`evidenceTierSql`); kept for the migration and for tests. */
export const EVIDENCE_TIER_SQL = evidenceTierSql();

/**
 * Whether a tie holds in the fast-core window, from its JSON evidence: a plain search of the compact text that
 * JSON.stringify wrote. Stored in `edges.fast_core` since version 6.
 */
export const EVIDENCE_FAST_CORE_SQL = `coalesce(contains(evidence::VARCHAR, '"fast_core":true'), false)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "evidence model: inputs, accounts, posts, objects, rejects, detector output, notes",
    statements: [
      `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
      `CREATE TABLE inputs (
         id INTEGER PRIMARY KEY, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL UNIQUE, format VARCHAR NOT NULL,
         bytes BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_rejected BIGINT NOT NULL,
         posts_stored BIGINT NOT NULL, posts_duplicate BIGINT NOT NULL, accounts_stored BIGINT NOT NULL,
         objects_stored BIGINT NOT NULL, options JSON, ingested_at TIMESTAMPTZ NOT NULL, tool_version VARCHAR NOT NULL)`,
      `CREATE TABLE accounts (
         platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, handle VARCHAR, display_name VARCHAR, bio VARCHAR,
         created_at TIMESTAMPTZ, followers BIGINT, following BIGINT, avatar_url VARCHAR, avatar_hash VARCHAR,
         location VARCHAR, input_id INTEGER NOT NULL, source_row BIGINT NOT NULL)`,
      `CREATE TABLE posts (
         platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, account_id VARCHAR NOT NULL, ts TIMESTAMPTZ NOT NULL,
         text VARCHAR, lang VARCHAR, kind VARCHAR NOT NULL, ref_post_id VARCHAR, ref_account_id VARCHAR,
         client VARCHAR, input_id INTEGER NOT NULL, source_row BIGINT NOT NULL)`,
      `CREATE TABLE objects (
         platform VARCHAR NOT NULL, post_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, value VARCHAR NOT NULL,
         raw VARCHAR, input_id INTEGER NOT NULL, source_row BIGINT NOT NULL)`,
      `CREATE TABLE rejects (input_id INTEGER NOT NULL, source_row BIGINT NOT NULL, reason VARCHAR NOT NULL, raw VARCHAR)`,
      `CREATE TABLE indicators (kind VARCHAR NOT NULL, value VARCHAR NOT NULL, first_seen TIMESTAMPTZ,
         last_seen TIMESTAMPTZ, source VARCHAR)`,
      `CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ,
         tool_version VARCHAR NOT NULL, params JSON, status VARCHAR NOT NULL)`,
      `CREATE TABLE findings (run_id INTEGER NOT NULL, detector VARCHAR NOT NULL, subject VARCHAR NOT NULL,
         strength VARCHAR NOT NULL, score DOUBLE NOT NULL, explanation VARCHAR NOT NULL, evidence JSON)`,
      `CREATE TABLE edges (run_id INTEGER NOT NULL, layer VARCHAR NOT NULL, a VARCHAR NOT NULL, b VARCHAR NOT NULL,
         weight DOUBLE NOT NULL, n_objects BIGINT NOT NULL, lift DOUBLE, p_value DOUBLE, significant BOOLEAN,
         evidence JSON)`,
      `CREATE TABLE campaigns (run_id INTEGER NOT NULL, id VARCHAR NOT NULL, score DOUBLE NOT NULL,
         summary VARCHAR NOT NULL, data JSON)`,
      `CREATE TABLE campaign_members (run_id INTEGER NOT NULL, campaign_id VARCHAR NOT NULL, platform VARCHAR NOT NULL,
         account_id VARCHAR NOT NULL, role VARCHAR, score DOUBLE)`,
      `CREATE TABLE notes (id VARCHAR PRIMARY KEY, target_kind VARCHAR NOT NULL, target_id VARCHAR NOT NULL,
         label VARCHAR, text VARCHAR, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`,
    ],
  },
  {
    version: 2,
    description:
      "analyses: the findings document of each analysis run, so reports and exports rebuild from the case",
    statements: [`CREATE TABLE analyses (run_id INTEGER PRIMARY KEY, findings JSON NOT NULL)`],
  },
  {
    version: 3,
    description:
      "derived objects: objects detectors derive from posts (near-duplicate texts), and one view of all",
    statements: [
      // each detector's rows are replaced on every run (see detectors/run.ts): the latest run's output only
      `CREATE TABLE derived_objects (run_id INTEGER NOT NULL, detector VARCHAR NOT NULL, platform VARCHAR NOT NULL,
         post_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, value VARCHAR NOT NULL)`,
      `CREATE VIEW shared_objects AS
         SELECT platform, post_id, kind, value FROM objects
         UNION ALL SELECT platform, post_id, kind, value FROM derived_objects`,
    ],
  },
  {
    version: 4,
    description:
      "analyst labels and an edit history: one label per campaign, account or tie, and the writes undo reverts",
    statements: [
      // Labels and notes are keyed by ids that survive re-running analyze: an account key, a tie "a|b" (a < b),
      // a campaign's members hash (C1, C2 renumber between runs; the number at the time is kept in `context`).
      // Analyst notes live in the `notes` table of version 1 (its `label` column stays unused).
      `CREATE TABLE labels (target_kind VARCHAR NOT NULL, target_id VARCHAR NOT NULL, label VARCHAR NOT NULL,
         context JSON, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
         PRIMARY KEY (target_kind, target_id))`,
      // one row per analyst write: the row before and after, so the latest write can be reverted
      `CREATE TABLE edit_history (seq INTEGER PRIMARY KEY, written_at TIMESTAMPTZ NOT NULL, tbl VARCHAR NOT NULL,
         action VARCHAR NOT NULL, target_kind VARCHAR NOT NULL, target_id VARCHAR NOT NULL, row_key VARCHAR NOT NULL,
         row_before JSON, row_after JSON, undone BOOLEAN NOT NULL DEFAULT false)`,
    ],
  },
  {
    version: 5,
    description:
      "email in the case: messages, their attachments, and where each indicator was seen (message or post)",
    statements: [
      // one row per message read from an input (an .eml is one row, an mbox or .msg one per message, in order);
      // `triage` is the chorus.email/v1 result, so reports and exports need not parse the message again
      `CREATE TABLE messages (input_id INTEGER NOT NULL, source_row BIGINT NOT NULL, message_id VARCHAR,
         sha256 VARCHAR NOT NULL, ts TIMESTAMPTZ, from_address VARCHAR, from_domain VARCHAR, from_name VARCHAR,
         reply_to VARCHAR, return_path VARCHAR, subject VARCHAR, verdict VARCHAR NOT NULL, score DOUBLE NOT NULL,
         triage JSON NOT NULL)`,
      // `path` is the attachment's name, or archive/entry for a file listed inside an attached archive (such
      // entries are listed, not inflated, so they have no hashes)
      `CREATE TABLE attachments (message_sha256 VARCHAR NOT NULL, path VARCHAR NOT NULL, filename VARCHAR,
         declared_type VARCHAR, detected_type VARCHAR, size BIGINT, sha256 VARCHAR, md5 VARCHAR)`,
      // `indicators` (version 1) holds one row per (kind, value); this says where each was seen: a message (by
      // its sha256) or a post, always with the input file and row, and in which role (link, from, reply-to, ...)
      `CREATE TABLE indicator_sources (kind VARCHAR NOT NULL, value VARCHAR NOT NULL, role VARCHAR NOT NULL,
         input_id INTEGER NOT NULL, source_row BIGINT NOT NULL, message_sha256 VARCHAR, platform VARCHAR,
         post_id VARCHAR, ts TIMESTAMPTZ)`,
    ],
  },
  {
    version: 6,
    description:
      "stored counts for a quick overview: the accounts with posts (and how many each), and each tie's tier and " +
      "fast-core flag as columns",
    statements: [
      // One row per account with at least one post, kept by ingest in each input's transaction after its
      // duplicates are dropped (src/ingest/dedup.ts). Counting distinct accounts over every post took seconds on a
      // large case; this table is as small as the number of accounts. Email senders have no posts: not here.
      `CREATE TABLE post_accounts (platform VARCHAR NOT NULL, account_id VARCHAR NOT NULL, posts BIGINT NOT NULL)`,
      `INSERT INTO post_accounts SELECT platform, account_id, count(*) FROM posts GROUP BY platform, account_id`,
      // A tie's tier (significant, candidate, chance, context) and whether it holds in the fast-core window were
      // read out of its JSON evidence; they are written with the tie now (src/detectors/run.ts), and filled here
      // from the evidence for the ties of earlier runs, with the very expressions that read them before.
      `ALTER TABLE edges ADD COLUMN tier VARCHAR`,
      `ALTER TABLE edges ADD COLUMN fast_core BOOLEAN`,
      `UPDATE edges SET tier = ${EVIDENCE_TIER_SQL}, fast_core = ${EVIDENCE_FAST_CORE_SQL}`,
    ],
  },
  {
    version: 7,
    description:
      "co-share ties keep their evidence as columns; `edges` becomes a view that writes it as JSON when read",
    statements: [
      // See src/store/edges.ts. The ties of earlier runs keep their JSON evidence (the new columns stay NULL).
      `ALTER TABLE edges RENAME TO ${EDGE_ROWS}`,
      ...CO_SHARE_EVIDENCE_COLUMNS.map(
        ([name, type]) => `ALTER TABLE ${EDGE_ROWS} ADD COLUMN ${name} ${type}`,
      ),
      edgesViewSql({ sync: false }),
    ],
  },
  {
    version: 8,
    description:
      "sync ties keep their evidence as columns too (the shared bursts; the counts and example as co-share's)",
    statements: [
      // the ties of earlier runs keep their JSON evidence; the view writes it for those written from columns
      ...SYNC_EVIDENCE_COLUMNS.map(([name, type]) => `ALTER TABLE ${EDGE_ROWS} ADD COLUMN ${name} ${type}`),
      edgesViewSql({ sync: true }),
    ],
  },
  {
    version: 9,
    description:
      "ties written by the million name their accounts by number, each number a key in `tie_accounts` for its run",
    statements: [
      // See src/store/edges.ts: the ties of earlier runs keep their keys in `a` and `b` (`a_ref`, `b_ref` NULL)
      `CREATE TABLE ${TIE_ACCOUNTS} (run_id INTEGER NOT NULL, ref INTEGER NOT NULL, key VARCHAR NOT NULL)`,
      `ALTER TABLE ${EDGE_ROWS} ALTER COLUMN a DROP NOT NULL`,
      `ALTER TABLE ${EDGE_ROWS} ALTER COLUMN b DROP NOT NULL`,
      ...TIE_REF_COLUMNS.map(([name, type]) => `ALTER TABLE ${EDGE_ROWS} ADD COLUMN ${name} ${type}`),
      edgesViewSql({ sync: true, refs: true }),
    ],
  },
  {
    version: 10,
    description:
      "ties written by the million name their example posts and object by number, rows of `tie_posts` and " +
      "`tie_objects` for their run",
    statements: [
      // See src/store/edges.ts: the ties of earlier runs keep their examples in their own columns (the refs NULL)
      `CREATE TABLE ${TIE_POSTS} (run_id INTEGER NOT NULL, ref BIGINT NOT NULL, post_id VARCHAR NOT NULL,
         ts TIMESTAMPTZ NOT NULL, input_id INTEGER NOT NULL, source_row BIGINT NOT NULL)`,
      `CREATE TABLE ${TIE_OBJECTS} (run_id INTEGER NOT NULL, ref BIGINT NOT NULL, value VARCHAR NOT NULL)`,
      ...TIE_EXAMPLE_REF_COLUMNS.map(([name, type]) => `ALTER TABLE ${EDGE_ROWS} ADD COLUMN ${name} ${type}`),
      edgesViewSql({ sync: true, refs: true, examples: true }),
    ],
  },
  {
    version: 11,
    description:
      "the post a quote post quotes is an object of its own (`quote`), so that a pile-on of quotes is a layer; " +
      "the quote posts of earlier ingests get theirs from the post they name",
    statements: [
      // a reply that also quoted a post named the post it replied to: its quote is not known for earlier ingests
      `INSERT INTO objects (platform, post_id, kind, value, raw, input_id, source_row)
       SELECT p.platform, p.post_id, 'quote', p.ref_post_id, NULL, p.input_id, p.source_row
         FROM posts p
        WHERE p.kind = 'quote' AND p.ref_post_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM objects o
                           WHERE o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'quote')`,
    ],
  },
  {
    version: 12,
    description:
      "a quote's link to the tweet it quotes is its quote object, not a link: earlier ingests' such links (and " +
      "their twitter.com / x.com domain, when no other link of the post has it) are removed",
    statements: [
      // the link to the quoted tweet that earlier ingests kept as the quote's own link, and its domain when no
      // other link of the post has it: the quote object stands for it now (src/normalize/url.ts tweetLinkId)
      `DELETE FROM objects o USING posts p
        WHERE o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'url'
          AND p.kind = 'quote' AND regexp_full_match(p.ref_post_id, '[0-9]+')
          AND regexp_matches(o.value,
                '^https?://((www|mobile)\\.)?(twitter|x)\\.com/(i/web|[^/?#]+)/status(es)?/' || p.ref_post_id ||
                '([/?#]|$)', 'i')`,
      `DELETE FROM objects o USING posts p
        WHERE o.platform = p.platform AND o.post_id = p.post_id AND o.kind = 'domain'
          AND o.value IN ('twitter.com', 'x.com') AND p.kind = 'quote'
          AND NOT EXISTS (SELECT 1 FROM objects u
                           WHERE u.platform = o.platform AND u.post_id = o.post_id AND u.kind = 'url'
                             AND regexp_matches(u.value, '^https?://((www|mobile)\\.)?' || replace(o.value, '.', '\\.') || '/', 'i'))`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

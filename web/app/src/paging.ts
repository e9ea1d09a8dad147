/** How long lists are drawn (the campaign screen's fringe, reported email); the browser tests read the same figures. */

/** Fringe accounts shown open; with more, the list starts folded. */
export const FRINGE_OPEN = 5;

/** Fringe accounts drawn at a time once the list is open: a large fringe is drawn a page at a time. */
export const FRINGE_PAGE = 200;

/** Reported messages on one page of the messages screen. */
export const MESSAGES_PAGE = 50;

/** The panel's reusable UI pieces, for screens (client/admin/screens/) to import from one place. */
export { h, append, brandMark, replace, setAttrs, svg, uid, type Attrs, type Child } from './dom.js';
export { dataTable, type Column, type TableOptions } from './table.js';
export { field, type Field, type FieldOptions } from './field.js';
export { confirmDialog, type ConfirmOptions } from './confirm.js';
export { toast } from './toast.js';
export { badge, type Tone } from './badge.js';
export { formatCoins, formatDateTime, formatDay, formatDuration, formatMs, formatNumber, formatPercent, formatStars, formatTime, shortId } from './format.js';
export { barChart, hbarChart, lineChart, niceMax, sparkline, type BarItem, type Series, type SeriesChartOptions } from './chart.js';
export { poll, type Poller } from './poll.js';

// fomlab's public library API: the CLI uses nothing that is not exported here.
export { FomlabError } from './core/errors.js';
export { writeAtomically, writeFileAtomically } from './core/atomic.js';
export { EventTable } from './data/table.js';
export type { ColumnRoles, RoleName } from './data/table.js';

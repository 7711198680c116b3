// 0/1: SQLite has no boolean type. Its own module so every table-type file can import it.
export type Flag = number

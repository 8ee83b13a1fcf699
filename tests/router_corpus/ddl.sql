-- DDL: CREATE TABLE with DBPARTITION BY HASH / BROADCAST (every group, the clause
-- cut out), plain CREATE TABLE (single on the sharded schema's first group, or the
-- unsharded schema's group), ALTER / DROP / TRUNCATE / RENAME / CREATE INDEX of each
-- table kind, CREATE / DROP DATABASE.

-- @ CREATE TABLE ... DBPARTITION BY HASH: every group, clause cut
CREATE TABLE payments (id bigint PRIMARY KEY, buyer_id bigint NOT NULL) DBPARTITION BY HASH(buyer_id)

-- @ CREATE TABLE ... DBPARTITION BY HASH with table options after the columns
CREATE TABLE IF NOT EXISTS refunds (
  id bigint PRIMARY KEY,
  buyer_id bigint NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DBPARTITION BY HASH(buyer_id)

-- @ CREATE TABLE ... BROADCAST: every group, clause cut
CREATE TABLE currencies (code char(3) PRIMARY KEY) BROADCAST

-- @ plain CREATE TABLE in a sharded schema: a single table on the first group
CREATE TABLE audit (id int PRIMARY KEY, body text)

-- @ CREATE TABLE ... LIKE in a sharded schema: a single table
CREATE TABLE orders_copy LIKE orders

-- @ CREATE TABLE in the unsharded app: its group
-- schema: app
CREATE TABLE sessions (id int PRIMARY KEY)

-- @ DBPARTITION BY HASH in the unsharded app: refused
-- schema: app
CREATE TABLE sessions (id int PRIMARY KEY) DBPARTITION BY HASH(id)

-- @ BROADCAST in the unsharded app: refused
-- schema: app
CREATE TABLE sessions (id int PRIMARY KEY) BROADCAST

-- @ CREATE TABLE in an undeclared schema: the default group
-- schema: shop
CREATE TABLE items (id int PRIMARY KEY)

-- @ DBPARTITION BY HASH in an undeclared schema: refused
-- schema: shop
CREATE TABLE items (id int PRIMARY KEY) DBPARTITION BY HASH(id)

-- @ qualified sharded CREATE from app: every group of trade
-- schema: app
CREATE TABLE trade.payments (id bigint, buyer_id bigint) DBPARTITION BY HASH(buyer_id)

-- @ CREATE TEMPORARY TABLE in trade: refused
CREATE TEMPORARY TABLE tmp (id int)

-- @ CREATE TEMPORARY TABLE in app
-- schema: app
CREATE TEMPORARY TABLE tmp (id int)

-- @ CREATE TABLE ... SELECT in trade: refused
CREATE TABLE orders_2020 AS SELECT * FROM orders WHERE created < '2021-01-01'

-- @ ALTER TABLE of a sharded table: every group
ALTER TABLE orders ADD COLUMN note varchar(64)

-- @ ALTER TABLE of the broadcast merchants: every group
ALTER TABLE merchants ADD COLUMN country char(2)

-- @ ALTER TABLE of the single notes: g0
ALTER TABLE notes ADD INDEX (created)

-- @ ALTER TABLE of an app table
-- schema: app
ALTER TABLE profiles ADD COLUMN age int

-- @ DROP TABLE of a sharded table: every group
DROP TABLE orders

-- @ DROP TABLE IF EXISTS of the broadcast merchants
DROP TABLE IF EXISTS merchants

-- @ DROP TABLE of the single notes: g0
DROP TABLE notes

-- @ DROP TABLE of two sharded tables
DROP TABLE orders, order_items

-- @ DROP TABLE of a sharded and a single table: refused
DROP TABLE orders, notes

-- @ TRUNCATE of a sharded table
TRUNCATE TABLE orders

-- @ TRUNCATE of the single notes
TRUNCATE notes

-- @ RENAME TABLE of a sharded table
RENAME TABLE orders TO orders_old

-- @ RENAME TABLE of the single notes
RENAME TABLE notes TO notes_old

-- @ CREATE INDEX on a sharded table
CREATE INDEX ix_status ON orders (status)

-- @ CREATE INDEX on the single notes
CREATE INDEX ix_body ON notes (body(10))

-- @ DROP INDEX on the broadcast merchants
DROP INDEX ix_name ON merchants

-- @ ALTER TABLE of a sharded table of account, from trade
ALTER TABLE account.ledger ADD COLUMN memo varchar(10)

-- @ CREATE DATABASE of the unsharded app: its group
CREATE DATABASE app

-- @ CREATE DATABASE of an undeclared schema: the default group
CREATE DATABASE shop

-- @ CREATE VIEW in app
-- schema: app
CREATE VIEW v_profiles AS SELECT * FROM profiles

-- @ ALTER TABLE ... RENAME of a sharded table: every group
ALTER TABLE orders RENAME TO orders_old

-- @ CREATE DATABASE of the sharded trade: every group, writes
CREATE DATABASE IF NOT EXISTS trade

-- @ DROP DATABASE of the sharded account: every group, writes
DROP DATABASE account

-- @ CREATE VIEW in a sharded schema: refused
CREATE VIEW v_orders AS SELECT * FROM orders

-- @ RENAME TABLE of a sharded and a single table in one statement
RENAME TABLE orders TO orders_old, notes TO notes_old

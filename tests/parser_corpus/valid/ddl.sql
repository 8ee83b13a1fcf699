-- DDL: CREATE [OR REPLACE] / ALTER / DROP / TRUNCATE / RENAME TABLE, LIKE, AS SELECT,
-- CREATE/DROP INDEX, CREATE/DROP DATABASE, column/index/table options.
-- Statements on real corpus tables are only PREPAREd; executed ones use throwaway objects.
CREATE TABLE shardproxy_corpus.t_new (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL DEFAULT '', created_at DATETIME DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='scratch';
CREATE TABLE IF NOT EXISTS shardproxy_corpus.t_new2 (id INT UNSIGNED ZEROFILL, code CHAR(4) CHARACTER SET ascii COLLATE ascii_bin, price DECIMAL(10,2) UNSIGNED, ratio DOUBLE(8,4), f FLOAT, b TINYINT(1), s SMALLINT, m MEDIUMINT, big BIGINT(20), bits BIT(3), PRIMARY KEY (id)) ENGINE=InnoDB;
CREATE TABLE shardproxy_corpus.t_types (d DATE, t TIME(3), dt DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL, y YEAR, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, bl BLOB, lb LONGBLOB, vb VARBINARY(255), bn BINARY(16), j JSON, e ENUM('a', 'b', 'c') NOT NULL DEFAULT 'a', st SET('x', 'y'), u UUID, ip INET6);
CREATE TABLE shardproxy_corpus.t_keys (id INT NOT NULL, a INT, b VARCHAR(32), c TEXT, PRIMARY KEY (id), UNIQUE KEY uk_a (a), KEY idx_b (b(10)), INDEX idx_ab (a, b DESC), FULLTEXT INDEX ft_c (c), CONSTRAINT chk_a CHECK (a > 0)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
CREATE TABLE shardproxy_corpus.t_fk (id INT PRIMARY KEY, order_id BIGINT UNSIGNED NOT NULL, CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES trade.orders (order_id) ON DELETE CASCADE ON UPDATE RESTRICT) ENGINE=InnoDB;
CREATE TABLE shardproxy_corpus.t_gen (a INT, b INT AS (a * 2) VIRTUAL, c INT GENERATED ALWAYS AS (a + 1) STORED, INVISIBLE_COL INT INVISIBLE) ENGINE=InnoDB;
CREATE TABLE shardproxy_corpus.t_opts (id INT) ENGINE=InnoDB AUTO_INCREMENT=1000 DEFAULT CHARSET=latin1 STATS_PERSISTENT=1 PACK_KEYS=0 CHECKSUM=1 KEY_BLOCK_SIZE=8;
CREATE TABLE shardproxy_corpus.t_part (id INT NOT NULL, created DATE NOT NULL, PRIMARY KEY (id, created)) PARTITION BY RANGE (YEAR(created)) (PARTITION p2023 VALUES LESS THAN (2024), PARTITION pmax VALUES LESS THAN MAXVALUE);
CREATE TABLE shardproxy_corpus.t_hashpart (id INT NOT NULL PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 4;
CREATE TEMPORARY TABLE shardproxy_corpus.tmp_ids (id BIGINT PRIMARY KEY) ENGINE=MEMORY;
-- @exec
-- @after DROP TABLE IF EXISTS shardproxy_corpus.t_orr
CREATE OR REPLACE TABLE shardproxy_corpus.t_orr (id INT PRIMARY KEY, v VARCHAR(10));
-- @exec
-- @after DROP TABLE IF EXISTS shardproxy_corpus.orders_copy
CREATE TABLE shardproxy_corpus.orders_copy LIKE trade.orders;
-- @exec
-- @after DROP TABLE IF EXISTS shardproxy_corpus.orders_copy2
CREATE TABLE IF NOT EXISTS shardproxy_corpus.orders_copy2 (LIKE trade.orders);
-- @exec
-- @after DROP TABLE IF EXISTS shardproxy_corpus.paid_orders
CREATE TABLE shardproxy_corpus.paid_orders AS SELECT order_id, user_id, amount FROM trade.orders WHERE status = 'paid';
-- @exec
-- @after DROP TABLE IF EXISTS shardproxy_corpus.user_totals
CREATE TABLE shardproxy_corpus.user_totals (PRIMARY KEY (user_id)) ENGINE=InnoDB SELECT user_id, SUM(amount) AS total FROM trade.orders GROUP BY user_id;
ALTER TABLE trade.orders ADD COLUMN source VARCHAR(16) NULL AFTER channel;
ALTER TABLE trade.orders ADD COLUMN IF NOT EXISTS region CHAR(2) NOT NULL DEFAULT 'US' FIRST;
ALTER TABLE trade.orders ADD (c1 INT, c2 INT);
ALTER TABLE trade.orders DROP COLUMN note;
ALTER TABLE trade.orders DROP COLUMN IF EXISTS legacy_flag, DROP INDEX idx_status_created;
ALTER TABLE trade.orders MODIFY COLUMN status VARCHAR(32) NOT NULL DEFAULT 'new';
ALTER TABLE trade.orders CHANGE COLUMN note remark TEXT NULL;
ALTER TABLE trade.orders RENAME COLUMN coupon_code TO promo_code;
ALTER TABLE trade.orders ALTER COLUMN channel SET DEFAULT 'app';
ALTER TABLE trade.orders ALTER channel DROP DEFAULT;
ALTER TABLE trade.orders ADD INDEX idx_channel (channel), ADD UNIQUE INDEX uk_coupon (coupon_code);
ALTER TABLE trade.orders ADD CONSTRAINT chk_amount CHECK (amount >= 0);
ALTER TABLE trade.orders RENAME INDEX idx_user TO idx_user_id;
ALTER TABLE trade.order_items ADD CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES trade.orders (order_id);
ALTER TABLE trade.order_items DROP FOREIGN KEY fk_items_order;
ALTER TABLE trade.orders ENGINE=InnoDB, ROW_FORMAT=COMPRESSED;
ALTER TABLE trade.orders CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
ALTER TABLE trade.orders AUTO_INCREMENT = 100000;
ALTER TABLE trade.orders COMMENT = 'customer orders';
ALTER TABLE trade.orders ADD COLUMN tag VARCHAR(8), ALGORITHM=INPLACE, LOCK=NONE;
ALTER ONLINE TABLE trade.orders ADD INDEX idx_created (created_at);
ALTER TABLE trade.orders FORCE;
ALTER TABLE trade.orders DISABLE KEYS;
ALTER TABLE trade.orders ENABLE KEYS;
ALTER TABLE trade.orders RENAME TO trade.orders_old;
ALTER TABLE IF EXISTS shardproxy_corpus.missing_table ADD COLUMN x INT;
ALTER TABLE shardproxy_corpus.t_part ADD PARTITION (PARTITION p2030 VALUES LESS THAN (2031));
ALTER TABLE trade.orders ORDER BY created_at;
DROP TABLE shardproxy_corpus.scratch;
DROP TABLE IF EXISTS shardproxy_corpus.t_new, shardproxy_corpus.t_new2;
DROP TEMPORARY TABLE IF EXISTS shardproxy_corpus.tmp_ids;
DROP TABLE IF EXISTS shardproxy_corpus.t_keys CASCADE;
TRUNCATE TABLE shardproxy_corpus.scratch;
TRUNCATE shardproxy_corpus.kv;
RENAME TABLE shardproxy_corpus.scratch TO shardproxy_corpus.scratch_old;
RENAME TABLE shardproxy_corpus.kv TO shardproxy_corpus.kv_tmp, shardproxy_corpus.kv_tmp TO shardproxy_corpus.kv_new;
CREATE INDEX idx_amount ON trade.orders (amount);
CREATE UNIQUE INDEX uk_tracking ON trade.shipments (carrier, tracking_no);
CREATE INDEX IF NOT EXISTS idx_delivered ON trade.shipments (delivered_at DESC) USING BTREE;
CREATE FULLTEXT INDEX ft_note ON trade.orders (note);
CREATE OR REPLACE INDEX idx_sku ON trade.order_items (sku) COMMENT 'by sku';
DROP INDEX idx_user ON trade.orders;
DROP INDEX IF EXISTS idx_missing ON trade.orders;
CREATE DATABASE shardproxy_corpus_x;
CREATE DATABASE IF NOT EXISTS shardproxy_corpus_x CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE SCHEMA shardproxy_corpus_y DEFAULT CHARSET latin1;
ALTER DATABASE shardproxy_corpus CHARACTER SET = utf8mb4;
DROP DATABASE shardproxy_corpus_x;
DROP SCHEMA IF EXISTS shardproxy_corpus_y;
CREATE VIEW shardproxy_corpus.v_user_totals AS SELECT user_id, SUM(amount) AS total FROM trade.orders GROUP BY user_id;
CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW shardproxy_corpus.v_big AS SELECT order_id FROM trade.orders WHERE amount > 1000 WITH CHECK OPTION;
DROP VIEW IF EXISTS shardproxy_corpus.v_user_totals;
CREATE SEQUENCE shardproxy_corpus.s1 START WITH 1 INCREMENT BY 10 MINVALUE 1 MAXVALUE 1000000 CACHE 100 NOCYCLE;
DROP SEQUENCE IF EXISTS shardproxy_corpus.s1;
ANALYZE TABLE trade.orders;
OPTIMIZE TABLE shardproxy_corpus.kv;
CHECK TABLE trade.orders;

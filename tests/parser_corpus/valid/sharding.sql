-- Our sharding extensions (DRDS style): the proxy strips them before a backend sees the
-- statement; MariaDB validates the stripped statement (@strip-sharding).
-- @strip-sharding
CREATE TABLE trade.orders_v2 (order_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_id BIGINT UNSIGNED NOT NULL, amount DECIMAL(12,2) NOT NULL, PRIMARY KEY (order_id), KEY idx_user (user_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 DBPARTITION BY HASH(user_id);
-- @strip-sharding
CREATE TABLE IF NOT EXISTS account.ledger_v2 (entry_id BIGINT NOT NULL, user_id BIGINT NOT NULL, delta DECIMAL(14,2), PRIMARY KEY (entry_id)) DBPARTITION BY HASH(`user_id`);
-- @strip-sharding
CREATE TABLE trade.currencies (code CHAR(3) NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, rate DECIMAL(18,8)) ENGINE=InnoDB BROADCAST;
-- @strip-sharding
CREATE TABLE trade.carriers (id INT PRIMARY KEY, name VARCHAR(32)) BROADCAST;
-- @strip-sharding
CREATE TABLE `trade`.`coupons` (`code` VARCHAR(32) NOT NULL, `user_id` BIGINT NOT NULL, PRIMARY KEY (`code`)) dbpartition by hash(user_id);
-- @strip-sharding
EXPLAIN SHARDING SELECT order_id FROM trade.orders WHERE user_id = 42;
-- @strip-sharding
EXPLAIN SHARDING SELECT o.order_id, i.sku FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id AND i.user_id = o.user_id WHERE o.user_id IN (1, 2);
-- @strip-sharding
EXPLAIN SHARDING INSERT INTO trade.orders (user_id, amount) VALUES (1, 2.5), (1025, 3.5);
-- @strip-sharding
EXPLAIN SHARDING UPDATE account.accounts SET balance = balance - 5 WHERE user_id = 7;
-- @strip-sharding
EXPLAIN SHARDING DELETE FROM trade.orders WHERE user_id BETWEEN 10 AND 20;
-- @strip-sharding
EXPLAIN SHARDING SELECT user_id, COUNT(*) FROM trade.orders GROUP BY user_id ORDER BY 2 DESC LIMIT 5;
SELECT /*+ SHARD(user_id=42) */ order_id FROM trade.orders WHERE order_id = 9;
SELECT /*+ MAX_EXECUTION_TIME(1000) */ COUNT(*) FROM trade.orders;
UPDATE /*+ SHARD(7) */ account.accounts SET status = 'active' WHERE user_id = 7;

-- SHOW (common forms), EXPLAIN / DESCRIBE / ANALYZE, HELP-free admin reads.
-- SHOW statements are executed (@exec-bare): they are read-only.
-- @exec-bare
SHOW DATABASES;
-- @exec-bare
SHOW DATABASES LIKE 'shardproxy%';
-- @exec-bare
SHOW TABLES;
-- @exec-bare
SHOW FULL TABLES FROM trade;
-- @exec-bare
SHOW TABLES IN account LIKE 'acc%';
-- @exec-bare
SHOW TABLES FROM trade WHERE Tables_in_shardproxy_corpus_trade LIKE 'o%';
-- @exec-bare
SHOW COLUMNS FROM trade.orders;
-- @exec-bare
SHOW FULL COLUMNS FROM orders FROM trade LIKE 'user%';
-- @exec-bare
SHOW FIELDS IN trade.orders;
-- @exec-bare
SHOW INDEX FROM trade.orders;
-- @exec-bare
SHOW INDEXES IN orders IN trade;
-- @exec-bare
SHOW KEYS FROM trade.order_items WHERE Key_name = 'PRIMARY';
-- @exec-bare
SHOW CREATE TABLE trade.orders;
-- @exec-bare
SHOW CREATE DATABASE trade;
-- @exec-bare
SHOW CREATE VIEW trade.v_open_orders;
-- @exec-bare
SHOW CREATE PROCEDURE account.get_balance;
-- @exec-bare
SHOW TABLE STATUS FROM trade LIKE 'orders';
-- @exec-bare
SHOW VARIABLES LIKE 'sql_mode';
-- @exec-bare
SHOW SESSION VARIABLES WHERE Variable_name IN ('autocommit', 'tx_isolation');
-- @exec-bare
SHOW GLOBAL VARIABLES LIKE 'max_%';
-- @exec-bare
SHOW STATUS LIKE 'Threads_connected';
-- @exec-bare
SHOW GLOBAL STATUS;
-- @exec-bare
SHOW WARNINGS;
-- @exec-bare
SHOW WARNINGS LIMIT 10;
-- @exec-bare
SHOW ERRORS;
-- @exec-bare
SHOW COUNT(*) WARNINGS;
-- @exec-bare
SHOW PROCESSLIST;
-- @exec-bare
SHOW FULL PROCESSLIST;
-- @exec-bare
SHOW ENGINES;
-- @exec-bare
SHOW CHARACTER SET LIKE 'utf8%';
-- @exec-bare
SHOW COLLATION WHERE Charset = 'utf8mb4';
-- @exec-bare
SHOW GRANTS;
-- @exec-bare
SHOW GRANTS FOR CURRENT_USER();
-- @exec-bare
SHOW TRIGGERS FROM trade;
-- @exec-bare
SHOW PROCEDURE STATUS WHERE Db = 'account';
-- @exec-bare
SHOW FUNCTION STATUS;
-- @exec-bare
SHOW OPEN TABLES FROM trade;
-- @exec-bare
SHOW PLUGINS;
-- @exec-bare
SHOW PRIVILEGES;
-- @exec-bare
-- @allow-error 1227
SHOW MASTER STATUS;
-- @exec-bare
-- @allow-error 1227
SHOW SLAVE STATUS;
-- @exec-bare
-- @allow-error 1227
SHOW BINARY LOGS;
-- @exec-bare
-- @allow-error 1227
SHOW ENGINE INNODB STATUS;
-- @exec-bare
SHOW PROFILES;
EXPLAIN SELECT order_id FROM trade.orders WHERE user_id = 42;
EXPLAIN EXTENDED SELECT * FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id WHERE o.user_id = 3;
EXPLAIN FORMAT=JSON SELECT COUNT(*) FROM trade.orders WHERE status = 'new';
EXPLAIN PARTITIONS SELECT * FROM trade.orders WHERE order_id = 3;
EXPLAIN UPDATE trade.orders SET status = 'paid' WHERE order_id = 3;
EXPLAIN DELETE FROM trade.orders WHERE user_id = 3 LIMIT 1;
EXPLAIN INSERT INTO trade.orders (user_id, amount) SELECT user_id, 0 FROM account.accounts;
-- @exec
ANALYZE SELECT order_id FROM trade.orders WHERE user_id = 42;
-- @exec
ANALYZE FORMAT=JSON SELECT status, COUNT(*) FROM trade.orders GROUP BY status;
DESCRIBE trade.orders;
DESC trade.order_items;
DESCRIBE trade.orders user_id;
DESC account.accounts 'bal%';
DESCRIBE SELECT * FROM account.accounts WHERE user_id = 5;
-- @exec-bare
HELP 'SELECT';

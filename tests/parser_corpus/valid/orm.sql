-- What ORMs and drivers really send (shapes taken from their generated SQL; literals
-- inlined as client-side-interpolating drivers do, or ? as server-prepared ones do).
-- Connector/J handshake probe
/* mysql-connector-j-8.2.0 (Revision: 06a1f724497fd81c6a659131fda822c9e5085b6c) */SELECT @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, @@character_set_results AS character_set_results, @@character_set_server AS character_set_server, @@collation_server AS collation_server, @@collation_connection AS collation_connection, @@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, @@license AS license, @@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS max_allowed_packet, @@net_write_timeout AS net_write_timeout, @@performance_schema AS performance_schema, @@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, @@tx_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout;
-- @exec-bare
SET character_set_results = NULL;
-- @exec-bare
SET autocommit=1;
-- @exec-bare
SET SESSION TRANSACTION READ ONLY;
SELECT @@session.tx_read_only;
SELECT @@session.tx_isolation;
-- Hibernate 6 (server-prepared, ? placeholders)
select o1_0.order_id,o1_0.amount,o1_0.created_at,o1_0.status,o1_0.user_id from orders o1_0 where o1_0.order_id=?;
select o1_0.order_id,o1_0.amount from orders o1_0 where o1_0.user_id=? order by o1_0.created_at desc limit ?,?;
select count(o1_0.order_id) from orders o1_0 where o1_0.status in (?,?,?);
insert into orders (amount,channel,coupon_code,created_at,deleted_at,note,status,updated_at,user_id) values (?,?,?,?,?,?,?,?,?);
update orders set amount=?,status=?,updated_at=? where order_id=?;
delete from orders where order_id=?;
select o1_0.order_id,i1_0.order_id,i1_0.item_id,i1_0.price from orders o1_0 left join order_items i1_0 on o1_0.order_id=i1_0.order_id where o1_0.order_id=?;
select o1_0.order_id from orders o1_0 where o1_0.order_id=? for update;
select next value for order_seq;
-- Django 4 (client-side interpolation)
SELECT `orders`.`order_id`, `orders`.`user_id`, `orders`.`amount`, `orders`.`status` FROM `orders` WHERE `orders`.`order_id` = 1001 LIMIT 21;
SELECT `orders`.`order_id`, `orders`.`amount` FROM `orders` WHERE (`orders`.`status` = 'paid' AND `orders`.`user_id` = 42) ORDER BY `orders`.`created_at` DESC;
SELECT COUNT(*) AS `__count` FROM `orders` WHERE `orders`.`user_id` IN (1, 2, 3);
SELECT (1) AS `a` FROM `orders` WHERE `orders`.`order_id` = 7 LIMIT 1;
INSERT INTO `orders` (`user_id`, `amount`, `status`, `channel`, `coupon_code`, `note`, `created_at`, `updated_at`, `deleted_at`) VALUES (42, '19.99', 'new', NULL, NULL, NULL, '2024-05-01 10:00:00.123456', '2024-05-01 10:00:00.123456', NULL) RETURNING `orders`.`order_id`;
UPDATE `orders` SET `status` = 'paid', `updated_at` = '2024-05-01 10:00:01' WHERE `orders`.`order_id` = 1001;
DELETE FROM `orders` WHERE `orders`.`order_id` IN (5, 6);
SELECT `orders`.`order_id`, `order_items`.`sku` FROM `orders` INNER JOIN `order_items` ON (`orders`.`order_id` = `order_items`.`order_id`) WHERE `order_items`.`sku` LIKE BINARY '%promo%';
SELECT `django_migrations`.`id`, `django_migrations`.`app`, `django_migrations`.`name`, `django_migrations`.`applied` FROM `shardproxy_corpus`.`django_migrations`;
SELECT engine FROM information_schema.tables WHERE table_name = 'orders';
-- @exec-bare
SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;
SELECT VERSION();
-- Rails / ActiveRecord 7 (mysql2 adapter)
SELECT `orders`.* FROM `orders` WHERE `orders`.`order_id` = 1001 LIMIT 1;
SELECT `orders`.* FROM `orders` WHERE `orders`.`user_id` = 42 ORDER BY `orders`.`order_id` ASC LIMIT 1000;
SELECT 1 AS one FROM `orders` WHERE `orders`.`user_id` = 42 LIMIT 1;
INSERT INTO `orders` (`user_id`, `amount`, `status`, `created_at`, `updated_at`) VALUES (42, 19.99, 'new', '2024-05-01 10:00:00.000000', '2024-05-01 10:00:00.000000');
UPDATE `orders` SET `orders`.`status` = 'paid', `orders`.`updated_at` = '2024-05-01 10:00:00.000000' WHERE `orders`.`order_id` = 1001;
SELECT `schema_migrations`.`version` FROM `shardproxy_corpus`.`schema_migrations` ORDER BY `schema_migrations`.`version` ASC;
SELECT `ar_internal_metadata`.* FROM `shardproxy_corpus`.`ar_internal_metadata` WHERE `ar_internal_metadata`.`key` = 'environment' ORDER BY `ar_internal_metadata`.`key` ASC LIMIT 1;
SELECT GET_LOCK('8215960583946853165', 0);
SELECT RELEASE_LOCK('8215960583946853165');
SELECT COUNT(*) FROM `orders` WHERE `orders`.`deleted_at` IS NULL AND `orders`.`status` IN ('new', 'paid');
SELECT `orders`.`order_id` FROM `orders` WHERE `orders`.`user_id` = 42 AND `orders`.`order_id` > 1000 ORDER BY `orders`.`order_id` ASC LIMIT 1000;
-- SQLAlchemy 2 (PyMySQL)
SELECT CAST('test plain returns' AS CHAR(60)) AS anon_1;
SELECT CAST('test unicode returns' AS CHAR(60)) AS anon_1;
SELECT DATABASE();
-- @exec-bare
SHOW VARIABLES LIKE 'lower_case_table_names';
SELECT orders.order_id AS orders_order_id, orders.user_id AS orders_user_id, orders.amount AS orders_amount FROM orders WHERE orders.user_id = 42 AND orders.status = 'paid';
SELECT anon_1.orders_user_id, anon_1.total FROM (SELECT orders.user_id AS orders_user_id, sum(orders.amount) AS total FROM orders GROUP BY orders.user_id) AS anon_1 WHERE anon_1.total > 100;
INSERT INTO orders (user_id, amount, status) VALUES (42, 19.99, 'new');
UPDATE orders SET status='paid' WHERE orders.order_id = 1001;
SELECT count(*) AS count_1 FROM (SELECT orders.order_id AS orders_order_id FROM orders WHERE orders.user_id = 42) AS anon_1;
-- GORM v2 (go-sql-driver, interpolateParams=true)
SELECT * FROM `orders` WHERE `orders`.`user_id` = 42 AND `orders`.`deleted_at` IS NULL ORDER BY `orders`.`order_id` LIMIT 1;
SELECT * FROM `orders` WHERE user_id = 42 AND status IN ('new','paid') AND `orders`.`deleted_at` IS NULL;
INSERT INTO `orders` (`user_id`,`amount`,`status`,`created_at`,`updated_at`,`deleted_at`) VALUES (42,19.99,'new','2024-05-01 10:00:00.123','2024-05-01 10:00:00.123',NULL),(43,5,'new','2024-05-01 10:00:00.123','2024-05-01 10:00:00.123',NULL);
UPDATE `orders` SET `deleted_at`='2024-05-01 10:00:00.123' WHERE `orders`.`order_id` = 1001 AND `orders`.`deleted_at` IS NULL;
UPDATE `orders` SET `status`='paid',`updated_at`='2024-05-01 10:00:00.123' WHERE `order_id` = 1001 AND `orders`.`deleted_at` IS NULL;
SELECT count(*) FROM information_schema.tables WHERE table_schema = 'trade' AND table_name = 'orders' AND table_type = 'BASE TABLE';
SELECT SCHEMA_NAME from Information_schema.SCHEMATA where SCHEMA_NAME LIKE 'trade%' ORDER BY SCHEMA_NAME='trade' DESC,SCHEMA_NAME limit 1;
INSERT INTO `orders` (`user_id`,`amount`) VALUES (42,1) ON DUPLICATE KEY UPDATE `amount`=VALUES(`amount`);
-- Sequelize / TypeORM / Knex
SELECT `order_id`, `user_id`, `amount` FROM `orders` AS `Order` WHERE `Order`.`user_id` = 42;
SELECT `Order`.`order_id` AS `Order_order_id`, `Order`.`amount` AS `Order_amount` FROM `orders` `Order` WHERE `Order`.`order_id` IN (?, ?);
select `orders`.* from `orders` where `user_id` = ? and `status` = ? limit ?;
-- Spring Batch / JDBC batch rewrite (rewriteBatchedStatements=true)
INSERT INTO order_items (order_id, user_id, sku, quantity, price) VALUES (1, 42, 'A', 1, 9.99),(1, 42, 'B', 2, 19.99),(1, 42, 'C', 3, 29.99);
-- MariaDB Connector/Python and PHP PDO emulated prepares
SELECT user_id, balance FROM account.accounts WHERE user_id = 42 FOR UPDATE;
UPDATE account.accounts SET balance = balance - '19.99' WHERE user_id = '42';
INSERT INTO account.ledger (user_id, order_id, delta, balance_after, reason) VALUES ('42', '1001', '-19.99', '80.01', 'purchase');

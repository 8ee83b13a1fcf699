-- INSERT / REPLACE: column lists, multi-row VALUES and VALUE, SET form, INSERT ... SELECT,
-- ON DUPLICATE KEY UPDATE, IGNORE, priorities, RETURNING, DEFAULT, NEXT VALUE FOR.
INSERT INTO trade.orders (user_id, amount, status) VALUES (42, 19.99, 'new');
INSERT INTO trade.orders (user_id, amount, status) VALUES (42, 19.99, 'new'), (43, 5.00, 'new'), (44, 120.50, 'paid');
INSERT INTO trade.orders (user_id, amount, status) VALUE (45, 1.25, 'new');
INSERT INTO trade.orders (user_id, amount, status) VALUE (45, 1.25, 'new'), (46, 2.5, 'new');
INSERT trade.orders (user_id, amount) VALUES (47, 3);
INSERT INTO trade.orders VALUES (NULL, 48, 10.00, 'new', 'web', NULL, NULL, NOW(), NOW(), NULL);
INSERT INTO trade.orders (order_id, user_id, amount, status, created_at) VALUES (5001, 49, 7.5, 'new', '2024-05-01 12:00:00');
INSERT INTO trade.orders SET user_id = 50, amount = 12.34, status = 'new';
INSERT INTO trade.orders (user_id, amount, status, note) VALUES (51, 0, DEFAULT, NULL);
INSERT INTO trade.orders () VALUES ();
INSERT INTO trade.orders (user_id) VALUES (DEFAULT(amount) + 52);
INSERT IGNORE INTO trade.orders (order_id, user_id, amount) VALUES (1, 53, 9.99);
INSERT LOW_PRIORITY INTO trade.orders (user_id, amount) VALUES (54, 1);
INSERT HIGH_PRIORITY IGNORE INTO trade.orders (user_id, amount) VALUES (55, 1);
INSERT INTO trade.orders (user_id, amount, status) VALUES (56, 15, 'new') ON DUPLICATE KEY UPDATE amount = amount + 15, status = VALUES(status);
INSERT INTO trade.orders (order_id, user_id, amount) VALUES (7, 57, 1), (8, 57, 2) ON DUPLICATE KEY UPDATE amount = VALUE(amount), updated_at = NOW();
INSERT INTO account.accounts (user_id, email, name, balance) VALUES (58, 'dora@example.com', 'Dora', 0) ON DUPLICATE KEY UPDATE name = 'Dora', version = version + 1;
INSERT INTO trade.orders (user_id, amount) VALUES (59, 5) RETURNING order_id, created_at;
INSERT INTO trade.orders (user_id, amount) VALUES (60, 5), (61, 6) RETURNING *;
INSERT INTO trade.order_items (order_id, user_id, sku, quantity, price) SELECT order_id, user_id, 'GIFT', 1, 0 FROM trade.orders WHERE user_id = 62 AND status = 'paid';
INSERT INTO trade.order_items (order_id, user_id, sku, quantity, price) SELECT o.order_id, o.user_id, p.sku, 1, p.price FROM trade.orders o JOIN trade.products p ON p.category = 'promo' WHERE o.order_id = 63 ON DUPLICATE KEY UPDATE quantity = quantity + 1;
INSERT INTO trade.shipments (order_id, user_id, carrier) SELECT order_id, user_id, 'dhl' FROM trade.orders WHERE status = 'paid' LIMIT 100;
INSERT INTO trade.orders (user_id, amount) SELECT user_id, 0 FROM account.accounts UNION ALL SELECT user_id, 1 FROM account.user_profiles;
INSERT INTO account.ledger (user_id, order_id, delta, balance_after, reason) VALUES (64, 9001, -19.99, 80.01, 'purchase');
INSERT INTO account.accounts (user_id, email, name, flags, uuid) VALUES (65, 'e@example.com', 'E', b'00000101', UNHEX('11223344556677889900aabbccddeeff'));
INSERT INTO account.accounts (user_id, email, name, flags, uuid, avatar) VALUES (66, 'f@example.com', 'F', 0b101, 0x11223344556677889900AABBCCDDEEFF, X'89504E47');
INSERT INTO trade.orders (order_id, user_id, amount) VALUES (NEXT VALUE FOR trade.order_seq, 67, 1.5);
INSERT INTO trade.orders (order_id, user_id, amount) VALUES (NEXTVAL(trade.order_seq), 68, 2.5);
INSERT INTO trade.orders (user_id, amount, status) VALUES (?, ?, ?);
INSERT INTO trade.orders (user_id, amount, status) VALUES (?, ?, ?), (?, ?, ?);
INSERT INTO trade.products (sku, title, category, price, attrs) VALUES ('J-1', 'Jacket', 'apparel', 89.00, '{"color": "red", "sizes": [1, 2]}');
INSERT INTO trade.products (sku, title, category, price, attrs) VALUES ('J-2', 'Coat', 'apparel', 99.00, JSON_OBJECT('color', 'blue'));
INSERT INTO trade.orders (user_id, amount, created_at) VALUES (69, 1e3, CURRENT_TIMESTAMP), (70, .5, CURRENT_TIMESTAMP);
INSERT INTO trade.orders (user_id, amount) VALUES (71, 1 + 2 * 3);
INSERT INTO trade.orders (user_id, amount, note) VALUES (72, 3, CONCAT('batch-', 7));
INSERT INTO trade.orders (user_id, amount) VALUES (73, (SELECT MAX(price) FROM trade.order_items));
INSERT INTO trade.orders SET user_id = 74, amount = 3 ON DUPLICATE KEY UPDATE amount = 3;
INSERT INTO `trade`.`orders` (`user_id`, `amount`, `status`) VALUES (75, 4.5, 'new');
REPLACE INTO trade.products (sku, title, category, price) VALUES ('R-1', 'Ruler', 'office', 1.99);
REPLACE INTO trade.products (sku, title, category, price) VALUES ('R-2', 'Pen', 'office', 0.99), ('R-3', 'Ink', 'office', 4.5);
REPLACE trade.products SET sku = 'R-4', title = 'Tape', category = 'office', price = 2;
REPLACE INTO trade.products (sku, title, category, price) SELECT CONCAT(sku, '-copy'), title, category, price FROM trade.products WHERE category = 'office';
REPLACE LOW_PRIORITY INTO shardproxy_corpus.kv (k, v) VALUES ('a', 'b');
-- @allow-error 1616
INSERT DELAYED INTO shardproxy_corpus.kv (k, v) VALUES ('dk', 'dv');
INSERT INTO shardproxy_corpus.kv (k, v, expires_at) VALUES ('session:9f', 'x', DATE_ADD(NOW(), INTERVAL 30 MINUTE)) ON DUPLICATE KEY UPDATE v = VALUES(v), expires_at = VALUES(expires_at);
-- LOAD DATA: PREPARE cannot take it; executed, it fails after parsing (no FILE
-- privilege for the server-side form; local_infile is off in the test client).
-- @exec
-- @allow-error 1045 1227 1148 2068 4166
LOAD DATA INFILE '/tmp/shardproxy_corpus_orders.csv' INTO TABLE trade.orders FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\' LINES TERMINATED BY '\n' IGNORE 1 LINES (user_id, amount, status, @created) SET created_at = STR_TO_DATE(@created, '%Y-%m-%d');
-- @exec
-- @allow-error 1045 1227 1148 2068 4166
LOAD DATA LOCAL INFILE '/tmp/shardproxy_corpus_items.tsv' REPLACE INTO TABLE trade.order_items CHARACTER SET utf8mb4 (order_id, user_id, sku, quantity, price);
-- @exec
-- @allow-error 1045 1227 1148 2068 4166
LOAD DATA LOW_PRIORITY LOCAL INFILE 'ledger.csv' IGNORE INTO TABLE account.ledger COLUMNS TERMINATED BY '\t' LINES STARTING BY 'x' TERMINATED BY '\r\n';

-- WITH / WITH RECURSIVE and window functions.
WITH recent AS (SELECT order_id, user_id, amount FROM trade.orders WHERE created_at > '2024-01-01') SELECT user_id, SUM(amount) FROM recent GROUP BY user_id;
WITH a AS (SELECT user_id FROM account.accounts WHERE status = 'vip'), b AS (SELECT user_id, COUNT(*) n FROM trade.orders GROUP BY user_id) SELECT a.user_id, b.n FROM a JOIN b ON b.user_id = a.user_id;
WITH totals (uid, total) AS (SELECT user_id, SUM(amount) FROM trade.orders GROUP BY user_id) SELECT uid FROM totals WHERE total > 1000;
WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 30) SELECT n FROM seq;
WITH RECURSIVE days AS (SELECT DATE '2024-01-01' AS d UNION ALL SELECT d + INTERVAL 1 DAY FROM days WHERE d < '2024-01-31') SELECT d, (SELECT COUNT(*) FROM trade.orders o WHERE DATE(o.created_at) = days.d) AS n FROM days;
WITH u AS (SELECT user_id FROM trade.orders WHERE order_id = 10) SELECT * FROM account.accounts WHERE user_id IN (SELECT user_id FROM u);
SELECT order_id, user_id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS rn FROM trade.orders;
SELECT order_id, RANK() OVER (ORDER BY amount DESC) r, DENSE_RANK() OVER (ORDER BY amount DESC) dr, PERCENT_RANK() OVER (ORDER BY amount) pr FROM trade.orders WHERE user_id = 3;
SELECT order_id, SUM(amount) OVER (PARTITION BY user_id ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM trade.orders;
SELECT order_id, AVG(amount) OVER (ORDER BY created_at ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) FROM trade.orders WHERE user_id = 5;
SELECT order_id, LAG(amount, 2) OVER w, LEAD(amount) OVER w FROM trade.orders WINDOW w AS (PARTITION BY user_id ORDER BY order_id);
SELECT order_id, FIRST_VALUE(amount) OVER (PARTITION BY user_id ORDER BY order_id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), NTILE(4) OVER (ORDER BY amount) FROM trade.orders;
SELECT * FROM (SELECT order_id, user_id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY amount DESC) rn FROM trade.orders) t WHERE t.rn <= 3;
SELECT user_id, COUNT(*) OVER () AS total_rows, CUME_DIST() OVER (ORDER BY user_id) FROM account.accounts WHERE status = 'active';
WITH ranked AS (SELECT order_id, user_id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at) rn FROM trade.orders) SELECT order_id FROM ranked WHERE rn = 1;
WITH RECURSIVE chain AS (SELECT order_id, user_id, 0 AS depth FROM trade.orders WHERE order_id = 1 UNION SELECT o.order_id, o.user_id, c.depth + 1 FROM trade.orders o JOIN chain c ON o.user_id = c.user_id AND o.order_id > c.order_id WHERE c.depth < 5) SELECT order_id, depth FROM chain;
SELECT entry_id, SUM(delta) OVER (PARTITION BY user_id ORDER BY entry_id) AS bal FROM account.ledger WHERE user_id = 12;

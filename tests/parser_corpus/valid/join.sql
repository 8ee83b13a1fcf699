-- Joins: INNER/LEFT/RIGHT/CROSS/STRAIGHT_JOIN/NATURAL, ON and USING, comma joins,
-- join predicates (col = col), derived tables, cross-schema joins.
SELECT o.order_id, i.sku, i.quantity FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id WHERE o.user_id = 42;
SELECT o.order_id, i.sku FROM trade.orders o INNER JOIN trade.order_items i ON o.order_id = i.order_id AND o.user_id = i.user_id WHERE o.user_id = 42 AND i.sku = 'SKU-9';
SELECT o.order_id, s.tracking_no FROM trade.orders o LEFT JOIN trade.shipments s ON s.order_id = o.order_id WHERE o.user_id = 7;
SELECT o.order_id, s.tracking_no FROM trade.orders o LEFT OUTER JOIN trade.shipments s ON s.order_id = o.order_id WHERE s.shipment_id IS NULL;
SELECT o.order_id, s.carrier FROM trade.shipments s RIGHT JOIN trade.orders o ON o.order_id = s.order_id WHERE o.status = 'paid';
SELECT o.order_id, s.carrier FROM trade.shipments s RIGHT OUTER JOIN trade.orders o ON o.order_id = s.order_id;
SELECT o.order_id, p.title FROM trade.orders o CROSS JOIN trade.products p WHERE o.order_id = 1 AND p.sku = 'A';
SELECT o.order_id, i.sku FROM trade.orders o STRAIGHT_JOIN trade.order_items i ON i.order_id = o.order_id WHERE o.user_id = 3;
SELECT order_id, sku FROM trade.orders JOIN trade.order_items USING (order_id) WHERE trade.orders.user_id = 3;
SELECT order_id, sku FROM trade.orders JOIN trade.order_items USING (order_id, user_id) WHERE user_id = 3;
SELECT o.order_id, i.sku FROM trade.orders o, trade.order_items i WHERE o.order_id = i.order_id AND o.user_id = 19;
SELECT o.order_id, i.sku, p.title FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id JOIN trade.products p ON p.sku = i.sku WHERE o.user_id = 5 ORDER BY o.created_at DESC LIMIT 20;
SELECT o.order_id, i.sku, s.carrier FROM trade.orders o LEFT JOIN trade.order_items i ON i.order_id = o.order_id LEFT JOIN trade.shipments s ON s.order_id = o.order_id WHERE o.order_id IN (100, 101, 102);
SELECT a.user_id, a.balance, o.order_id FROM account.accounts a JOIN trade.orders o ON o.user_id = a.user_id WHERE a.user_id = 42;
SELECT a.name, l.delta FROM account.accounts AS a INNER JOIN account.ledger AS l ON l.user_id = a.user_id WHERE a.user_id = 9 AND l.reason = 'refund';
SELECT a.user_id, p.city FROM account.accounts a NATURAL JOIN account.user_profiles p WHERE a.user_id = 1;
SELECT a.user_id, p.city FROM account.accounts a NATURAL LEFT JOIN account.user_profiles p WHERE a.status = 'active';
SELECT o.user_id, COUNT(DISTINCT i.sku) AS skus, SUM(i.price * i.quantity) AS revenue FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id GROUP BY o.user_id HAVING revenue > 500 ORDER BY revenue DESC LIMIT 10;
SELECT t.user_id, t.total FROM (SELECT user_id, SUM(amount) AS total FROM trade.orders GROUP BY user_id) AS t WHERE t.total > 100;
SELECT t.user_id, a.email FROM (SELECT DISTINCT user_id FROM trade.orders WHERE status = 'paid') t JOIN account.accounts a ON a.user_id = t.user_id;
SELECT o.order_id FROM trade.orders o JOIN (SELECT order_id, COUNT(*) c FROM trade.order_items GROUP BY order_id) x ON x.order_id = o.order_id WHERE x.c > 3;
SELECT o1.order_id, o2.order_id FROM trade.orders o1 JOIN trade.orders o2 ON o1.user_id = o2.user_id AND o1.order_id < o2.order_id WHERE o1.user_id = 8;
SELECT * FROM trade.orders o JOIN trade.order_items i ON (i.order_id = o.order_id) WHERE (o.user_id = 2);
SELECT o.order_id FROM trade.orders o LEFT JOIN trade.shipments s ON s.order_id = o.order_id AND s.carrier = 'ups' WHERE o.user_id = 2;
SELECT o.order_id, i.sku FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id AND i.user_id = o.user_id WHERE o.user_id IN (4, 5) AND i.quantity BETWEEN 2 AND 9;
SELECT o.order_id FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id JOIN trade.shipments s ON s.order_id = i.order_id AND s.carrier IN ("ups", "dhl") WHERE o.user_id = 1;
SELECT o.order_id FROM (trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id) WHERE o.user_id = 13;
SELECT o.order_id FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id FOR UPDATE;
SELECT o.order_id, i.sku FROM trade.orders o JOIN trade.order_items i WHERE i.order_id = o.order_id AND o.user_id = 21;
SELECT o.order_id FROM trade.orders o JOIN trade.order_items i ON i.order_id = o.order_id STRAIGHT_JOIN trade.products p ON p.sku = i.sku WHERE p.category = 'books';
-- @note REVIEW-2026-11-26 probe 1: the inner join is the null-supplying operand of the LEFT JOIN; s.user_id = 5 is no filter (join_eq only)
SELECT o.order_id, s.carrier FROM trade.orders o LEFT JOIN (trade.order_items i JOIN trade.shipments s ON s.order_id = i.order_id AND s.user_id = 5) ON i.order_id = o.order_id WHERE o.status = 'paid';
-- @note the same nesting without parentheses (o LEFT JOIN (i JOIN s ON ..) ON ..)
SELECT o.order_id FROM trade.orders o LEFT JOIN trade.order_items i JOIN trade.shipments s ON s.order_id = i.order_id AND s.user_id = 5 ON i.order_id = o.order_id;
-- @note RIGHT JOIN mirror: (i JOIN s ON ..) RIGHT JOIN o ON ..
SELECT o.order_id FROM trade.order_items i JOIN trade.shipments s ON s.order_id = i.order_id AND s.user_id = 5 RIGHT JOIN trade.orders o ON i.order_id = o.order_id;
-- @note control: s is inner-joined to (o LEFT JOIN i), so s.user_id = 5 filters the result
SELECT o.order_id FROM trade.orders o LEFT JOIN trade.order_items i ON i.order_id = o.order_id JOIN trade.shipments s ON s.order_id = o.order_id AND s.user_id = 5;

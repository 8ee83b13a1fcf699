-- Shard-key types of the account schema: account.accounts (user_id bigint unsigned),
-- account.ledger (account_id varchar(32) utf8mb4_general_ci), account.codes
-- (code decimal(10,2)). 'abc' / 'ABC' / 'abc  ' share canonical bytes 00 41 00 42 00 43
-- (vpart 363, g0); 1.5 and 1.50 share "1.5".

-- @ string key
-- schema: account
SELECT * FROM ledger WHERE account_id = 'abc'

-- @ string key, other case: the same vpart
-- schema: account
SELECT * FROM ledger WHERE account_id = 'ABC'

-- @ string key, trailing blanks: the same vpart (PAD SPACE)
-- schema: account
SELECT * FROM ledger WHERE account_id = 'abc  '

-- @ string key, accent: the same vpart under general_ci
-- schema: account
SELECT * FROM ledger WHERE account_id = 'ábc'

-- @ string key with a latin1 introducer
-- schema: account
SELECT * FROM ledger WHERE account_id = _latin1'abc'

-- @ string key as a hex literal (read in the column's character set)
-- schema: account
SELECT * FROM ledger WHERE account_id = X'616263'

-- @ IN list of equal strings: one vpart
-- schema: account
SELECT * FROM ledger WHERE account_id IN ('abc', 'ABC', 'abc  ')

-- @ IN list of strings across groups
-- schema: account
SELECT * FROM ledger WHERE account_id IN ('x1', 'y2', 'z3', 'w4')

-- @ a number compared with a string key: every group
-- schema: account
SELECT * FROM ledger WHERE account_id = 42

-- @ empty string: the vpart of the empty bytes (the NULL rows' vpart too)
-- schema: account
SELECT * FROM ledger WHERE account_id = ''

-- @ INSERT of equal strings: one vpart
-- schema: account
INSERT INTO ledger (account_id, amount) VALUES ('abc', 1), ('ABC ', 2)

-- @ INSERT of a string longer than varchar(32): refused (1406)
-- schema: account
INSERT INTO ledger (account_id) VALUES ('0123456789012345678901234567890123')

-- @ INSERT of an integer into the string key: stored as its text
-- schema: account
INSERT INTO ledger (account_id) VALUES (42)

-- @ decimal key 1.5
-- schema: account
SELECT * FROM codes WHERE code = 1.5

-- @ decimal key 1.50: the same vpart
-- schema: account
SELECT * FROM codes WHERE code = 1.50

-- @ decimal key as a string '1.500': the same vpart
-- schema: account
SELECT * FROM codes WHERE code = '1.500'

-- @ decimal key 1.505: never equal for decimal(10,2)
-- schema: account
SELECT * FROM codes WHERE code = 1.505

-- @ decimal key IN list with equal values
-- schema: account
SELECT * FROM codes WHERE code IN (1.5, 1.50, 2)

-- @ decimal key, too many integer digits: never equal
-- schema: account
SELECT * FROM codes WHERE code = 123456789

-- @ INSERT of 1.505 into decimal(10,2): stored rounded to 1.51
-- schema: account
INSERT INTO codes (code, label) VALUES (1.505, 'x')

-- @ INSERT of 1.5 and 1.50: one vpart
-- schema: account
INSERT INTO codes (code) VALUES (1.5), (1.50)

-- @ unsigned key
-- schema: account
SELECT * FROM accounts WHERE user_id = 5

-- @ unsigned key -1: never equal
-- schema: account
SELECT * FROM accounts WHERE user_id = -1

-- @ unsigned key IN list with -1
-- schema: account
SELECT * FROM accounts WHERE user_id IN (-1, 5)

-- @ unsigned key IN list with -1 across groups
-- schema: account
SELECT * FROM accounts WHERE user_id IN (-1, 5, 42)

-- @ unsigned key at its maximum
-- schema: account
SELECT * FROM accounts WHERE user_id = 18446744073709551615

-- @ INSERT of -1 into the unsigned key: refused (1264)
-- schema: account
INSERT INTO accounts (user_id, name) VALUES (-1, 'x')

-- @ INSERT across groups into the unsigned key
-- schema: account
INSERT INTO accounts (user_id, name) VALUES (5, 'x'), (42, 'y')

-- @ unsigned key, from trade, qualified
SELECT * FROM account.accounts WHERE user_id = 42

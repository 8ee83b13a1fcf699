// MySQL/MariaDB lexer for shardproxy (our own grammar; see parser/README.md).
//
// Input: a CharStream whose LA() returns ASCII letters upper-cased and every
// other byte as itself (parser/byte_char_stream.h), so keyword literals below
// are upper-case and every token index is a BYTE offset into the statement.
// Mode-dependent rules (sql_mode ANSI_QUOTES, NO_BACKSLASH_ESCAPES,
// PIPES_AS_CONCAT, IGNORE_SPACE) and executable comments are handled by the
// member functions declared below and implemented in parser/lexer_support.cc.
lexer grammar MySQLLexer;

tokens { DQ_IDENT, CONCAT_PIPES, OR2, UNDERSCORE_CHARSET, UNTERMINATED }

@lexer::members {
 public:
  bool ansi_quotes = false;           // "..." is an identifier
  bool no_backslash_escapes = false;  // '\' is an ordinary character in strings
  bool pipes_as_concat = false;       // || is CONCAT_PIPES, else OR2
  bool ignore_space = false;          // built-in function names need not touch '('
  int exec_comment_depth = 0;         // open /*! ... */ comments whose body is being lexed
  // No semantic predicates in this lexer: a predicate makes the 4.9 runtime
  // leak an ATN config set (LexerATNSimulator::computeTargetState, when the
  // predicate fails and nothing else matches) and keeps the DFA from caching
  // the states around it. Mode- and context-dependent decisions are actions
  // at the end of a rule instead, which retype (or shorten) the matched token.
  //
  // Built-in function names (COUNT, CAST, ...) are keywords only when directly
  // followed by '(' (or always under IGNORE_SPACE), as in MariaDB; otherwise
  // the word is an identifier.
  void OnFnWord() {
    if (!ignore_space && _input->LA(1) != '(') setType(IDENT);
  }
  void OnExecClose();            // "*/": end of an executable comment, or '*' then '/'
  // Skips blanks before handing over to Lexer::nextToken: a separate ANTLR
  // match() per run of blanks (the WS rule) was a third of lexing time. Token
  // line numbers are not maintained (nothing reads them: errors are located
  // by byte offset).
  std::unique_ptr<antlr4::Token> nextToken() override;
  void LexQuoted(size_t quote);  // consumes the rest of a quoted string/identifier
  void OnExecCommentOpen();      // /*! /*!NNNNN /*M! /*M!NNNNNN
  void OnUnderscoreWord();       // _latin1 introducer, or a plain identifier
  void OnPipes();                // || per PIPES_AS_CONCAT
}

// ---- whitespace and comments -------------------------------------------
WS : [ \t\r\n\f\u000B]+ -> skip ;
HINT : '/*+' .*? '*/' -> channel(HIDDEN) ;
EXEC_OPEN : '/*' 'M'? '!' [0-9]* { OnExecCommentOpen(); } ;
EXEC_CLOSE : '*/' { OnExecClose(); } ;
BLOCK_COMMENT : '/*' ( ~[!+M] .*? | 'M' ( ~'!' .*? )? )? '*/' -> skip ;
LINE_COMMENT : ( '#' ~[\r\n]* | '--' [ \t\r\n\f\u000B] ~[\r\n]* ) -> skip ;

// ---- built-in functions that are keywords only before '(' ---------------
COUNT : 'COUNT' { OnFnWord(); } ;
SUM : 'SUM' { OnFnWord(); } ;
MIN : 'MIN' { OnFnWord(); } ;
MAX : 'MAX' { OnFnWord(); } ;
GROUP_CONCAT : 'GROUP_CONCAT' { OnFnWord(); } ;
CAST : 'CAST' { OnFnWord(); } ;
EXTRACT : 'EXTRACT' { OnFnWord(); } ;
POSITION : 'POSITION' { OnFnWord(); } ;
SUBSTR : 'SUBSTR' { OnFnWord(); } ;
SUBSTRING : 'SUBSTRING' { OnFnWord(); } ;
TRIM : 'TRIM' { OnFnWord(); } ;

// ---- keywords (reserved ones are not accepted as identifiers; see MySQLParser.g4 identKeyword) --
ACTION : 'ACTION' ;
ADD : 'ADD' ;
AFTER : 'AFTER' ;
AGAINST : 'AGAINST' ;
ALGORITHM : 'ALGORITHM' ;
ALL : 'ALL' ;
ALTER : 'ALTER' ;
ALWAYS : 'ALWAYS' ;
ANALYZE : 'ANALYZE' ;
AND : 'AND' ;
ANY : 'ANY' ;
AS : 'AS' ;
ASC : 'ASC' ;
AT : 'AT' ;
AUTO_INCREMENT : 'AUTO_INCREMENT' ;
AVG : 'AVG' ;
BEGIN : 'BEGIN' ;
BETWEEN : 'BETWEEN' ;
BIGINT : 'BIGINT' ;
BINARY : 'BINARY' ;
BIT : 'BIT' ;
BLOB : 'BLOB' ;
BOOL : 'BOOL' ;
BOOLEAN : 'BOOLEAN' ;
BOTH : 'BOTH' ;
BROADCAST : 'BROADCAST' ;
BTREE : 'BTREE' ;
BY : 'BY' ;
CACHE : 'CACHE' ;
CALL : 'CALL' ;
CASCADE : 'CASCADE' ;
CASCADED : 'CASCADED' ;
CASE : 'CASE' ;
CHAIN : 'CHAIN' ;
CHANGE : 'CHANGE' ;
CHANGED : 'CHANGED' ;
CHAR : 'CHAR' ;
CHARACTER : 'CHARACTER' ;
CHARSET : 'CHARSET' ;
CHECK : 'CHECK' ;
CHECKSUM : 'CHECKSUM' ;
COALESCE : 'COALESCE' ;
COLLATE : 'COLLATE' ;
COLLATION : 'COLLATION' ;
COLUMN : 'COLUMN' ;
COLUMNS : 'COLUMNS' ;
COLUMN_FORMAT : 'COLUMN_FORMAT' ;
COMMENT : 'COMMENT' ;
COMMIT : 'COMMIT' ;
COMMITTED : 'COMMITTED' ;
COMPACT : 'COMPACT' ;
COMPRESSED : 'COMPRESSED' ;
CONCURRENT : 'CONCURRENT' ;
CONNECTION : 'CONNECTION' ;
CONSISTENT : 'CONSISTENT' ;
CONSTRAINT : 'CONSTRAINT' ;
CONVERT : 'CONVERT' ;
COPY : 'COPY' ;
CREATE : 'CREATE' ;
CROSS : 'CROSS' ;
CURRENT : 'CURRENT' ;
CURRENT_DATE : 'CURRENT_DATE' ;
CURRENT_TIME : 'CURRENT_TIME' ;
CURRENT_TIMESTAMP : 'CURRENT_TIMESTAMP' ;
CURRENT_USER : 'CURRENT_USER' ;
CYCLE : 'CYCLE' ;
DATA : 'DATA' ;
DATABASE : 'DATABASE' ;
DATABASES : 'DATABASES' ;
DATE : 'DATE' ;
DATETIME : 'DATETIME' ;
DAY : 'DAY' ;
DAY_HOUR : 'DAY_HOUR' ;
DAY_MICROSECOND : 'DAY_MICROSECOND' ;
DAY_MINUTE : 'DAY_MINUTE' ;
DAY_SECOND : 'DAY_SECOND' ;
DBPARTITION : 'DBPARTITION' ;
DEALLOCATE : 'DEALLOCATE' ;
DEC : 'DEC' ;
DECIMAL : 'DECIMAL' ;
DEFAULT : 'DEFAULT' ;
DEFINER : 'DEFINER' ;
DELAYED : 'DELAYED' ;
DELETE : 'DELETE' ;
DESC : 'DESC' ;
DESCRIBE : 'DESCRIBE' ;
DIRECTORY : 'DIRECTORY' ;
DISABLE : 'DISABLE' ;
DISCARD : 'DISCARD' ;
DISTINCT : 'DISTINCT' ;
DISTINCTROW : 'DISTINCTROW' ;
DIV : 'DIV' ;
DO : 'DO' ;
DOUBLE : 'DOUBLE' ;
DROP : 'DROP' ;
DUAL : 'DUAL' ;
DUMPFILE : 'DUMPFILE' ;
DUPLICATE : 'DUPLICATE' ;
DYNAMIC : 'DYNAMIC' ;
ELSE : 'ELSE' ;
ENABLE : 'ENABLE' ;
ENCLOSED : 'ENCLOSED' ;
ENCRYPTION : 'ENCRYPTION' ;
END : 'END' ;
ENGINE : 'ENGINE' ;
ENGINES : 'ENGINES' ;
ENUM : 'ENUM' ;
ERRORS : 'ERRORS' ;
ESCAPE : 'ESCAPE' ;
ESCAPED : 'ESCAPED' ;
EVENT : 'EVENT' ;
EVENTS : 'EVENTS' ;
EXCEPT : 'EXCEPT' ;
EXCHANGE : 'EXCHANGE' ;
EXCLUSIVE : 'EXCLUSIVE' ;
EXECUTE : 'EXECUTE' ;
EXISTS : 'EXISTS' ;
EXPLAIN : 'EXPLAIN' ;
EXTENDED : 'EXTENDED' ;
FALSE_SYM : 'FALSE' ;
FAST : 'FAST' ;
FIELDS : 'FIELDS' ;
FIRST : 'FIRST' ;
FIXED : 'FIXED' ;
FLOAT : 'FLOAT' ;
FOLLOWING : 'FOLLOWING' ;
FOR : 'FOR' ;
FORCE : 'FORCE' ;
FOREIGN : 'FOREIGN' ;
FORMAT : 'FORMAT' ;
FROM : 'FROM' ;
FULL : 'FULL' ;
FULLTEXT : 'FULLTEXT' ;
FUNCTION : 'FUNCTION' ;
GENERATED : 'GENERATED' ;
GLOBAL : 'GLOBAL' ;
GRANTS : 'GRANTS' ;
GROUP : 'GROUP' ;
HARD : 'HARD' ;
HASH : 'HASH' ;
HAVING : 'HAVING' ;
HELP : 'HELP' ;
HIGH_PRIORITY : 'HIGH_PRIORITY' ;
HISTORY : 'HISTORY' ;
HOUR : 'HOUR' ;
HOUR_MICROSECOND : 'HOUR_MICROSECOND' ;
HOUR_MINUTE : 'HOUR_MINUTE' ;
HOUR_SECOND : 'HOUR_SECOND' ;
IF : 'IF' ;
IGNORE : 'IGNORE' ;
IGNORED : 'IGNORED' ;
IMMEDIATE : 'IMMEDIATE' ;
IMPORT : 'IMPORT' ;
IN : 'IN' ;
INCREMENT : 'INCREMENT' ;
INDEX : 'INDEX' ;
INDEXES : 'INDEXES' ;
INFILE : 'INFILE' ;
INNER : 'INNER' ;
INPLACE : 'INPLACE' ;
INSERT : 'INSERT' ;
INT : 'INT' ;
INTEGER : 'INTEGER' ;
INTERSECT : 'INTERSECT' ;
INTERVAL : 'INTERVAL' ;
INTO : 'INTO' ;
INVISIBLE : 'INVISIBLE' ;
INVOKER : 'INVOKER' ;
IS : 'IS' ;
ISOLATION : 'ISOLATION' ;
JOIN : 'JOIN' ;
JSON : 'JSON' ;
KEY : 'KEY' ;
KEYS : 'KEYS' ;
KEY_BLOCK_SIZE : 'KEY_BLOCK_SIZE' ;
KILL : 'KILL' ;
LAST : 'LAST' ;
LEADING : 'LEADING' ;
LEFT : 'LEFT' ;
LESS : 'LESS' ;
LEVEL : 'LEVEL' ;
LIKE : 'LIKE' ;
LIMIT : 'LIMIT' ;
LINEAR : 'LINEAR' ;
LINES : 'LINES' ;
LIST : 'LIST' ;
LOAD : 'LOAD' ;
LOCAL : 'LOCAL' ;
LOCALTIME : 'LOCALTIME' ;
LOCALTIMESTAMP : 'LOCALTIMESTAMP' ;
LOCK : 'LOCK' ;
LOCKED : 'LOCKED' ;
LOGS : 'LOGS' ;
LONG : 'LONG' ;
LONGBLOB : 'LONGBLOB' ;
LONGTEXT : 'LONGTEXT' ;
LOW_PRIORITY : 'LOW_PRIORITY' ;
MASTER : 'MASTER' ;
MATCH : 'MATCH' ;
MAXVALUE : 'MAXVALUE' ;
MAX_ROWS : 'MAX_ROWS' ;
MEDIUM : 'MEDIUM' ;
MEDIUMBLOB : 'MEDIUMBLOB' ;
MEDIUMINT : 'MEDIUMINT' ;
MEDIUMTEXT : 'MEDIUMTEXT' ;
MICROSECOND : 'MICROSECOND' ;
MIGRATE : 'MIGRATE' ;
MINUTE : 'MINUTE' ;
MINUTE_MICROSECOND : 'MINUTE_MICROSECOND' ;
MINUTE_SECOND : 'MINUTE_SECOND' ;
MINVALUE : 'MINVALUE' ;
MIN_ROWS : 'MIN_ROWS' ;
MOD : 'MOD' ;
MODE : 'MODE' ;
MODIFY : 'MODIFY' ;
MONTH : 'MONTH' ;
NAMES : 'NAMES' ;
NATIONAL : 'NATIONAL' ;
NATURAL : 'NATURAL' ;
NEXT : 'NEXT' ;
NO : 'NO' ;
NOCACHE : 'NOCACHE' ;
NOCYCLE : 'NOCYCLE' ;
NOMAXVALUE : 'NOMAXVALUE' ;
NOMINVALUE : 'NOMINVALUE' ;
NONE : 'NONE' ;
NOT : 'NOT' ;
NOWAIT : 'NOWAIT' ;
NO_WRITE_TO_BINLOG : 'NO_WRITE_TO_BINLOG' ;
NULL_SYM : 'NULL' ;
NUMERIC : 'NUMERIC' ;
OFFSET : 'OFFSET' ;
ON : 'ON' ;
ONE : 'ONE' ;
ONLY : 'ONLY' ;
OPEN : 'OPEN' ;
OPTIMIZE : 'OPTIMIZE' ;
OPTION : 'OPTION' ;
OPTIONALLY : 'OPTIONALLY' ;
OR : 'OR' ;
ORDER : 'ORDER' ;
OUTER : 'OUTER' ;
OUTFILE : 'OUTFILE' ;
OVER : 'OVER' ;
PARTIAL : 'PARTIAL' ;
PARTITION : 'PARTITION' ;
PARTITIONING : 'PARTITIONING' ;
PARTITIONS : 'PARTITIONS' ;
PASSWORD : 'PASSWORD' ;
PERSISTENT : 'PERSISTENT' ;
PHASE : 'PHASE' ;
PLUGINS : 'PLUGINS' ;
PRECEDING : 'PRECEDING' ;
PRECISION : 'PRECISION' ;
PREPARE : 'PREPARE' ;
PREVIOUS : 'PREVIOUS' ;
PRIMARY : 'PRIMARY' ;
PRIVILEGES : 'PRIVILEGES' ;
PROCEDURE : 'PROCEDURE' ;
PROCESSLIST : 'PROCESSLIST' ;
PROFILES : 'PROFILES' ;
QUARTER : 'QUARTER' ;
QUERY : 'QUERY' ;
QUICK : 'QUICK' ;
RANGE : 'RANGE' ;
READ : 'READ' ;
REAL : 'REAL' ;
REBUILD : 'REBUILD' ;
RECOVER : 'RECOVER' ;
RECURSIVE : 'RECURSIVE' ;
REDUNDANT : 'REDUNDANT' ;
REFERENCES : 'REFERENCES' ;
REGEXP : 'REGEXP' ;
RELEASE : 'RELEASE' ;
REMOVE : 'REMOVE' ;
RENAME : 'RENAME' ;
REORGANIZE : 'REORGANIZE' ;
REPAIR : 'REPAIR' ;
REPEATABLE : 'REPEATABLE' ;
REPLACE : 'REPLACE' ;
RESTART : 'RESTART' ;
RESTRICT : 'RESTRICT' ;
RESUME : 'RESUME' ;
RETURNING : 'RETURNING' ;
RIGHT : 'RIGHT' ;
RLIKE : 'RLIKE' ;
ROLLBACK : 'ROLLBACK' ;
ROLLUP : 'ROLLUP' ;
ROW : 'ROW' ;
ROWS : 'ROWS' ;
ROW_FORMAT : 'ROW_FORMAT' ;
SAVEPOINT : 'SAVEPOINT' ;
SCHEMA : 'SCHEMA' ;
SCHEMAS : 'SCHEMAS' ;
SECOND : 'SECOND' ;
SECOND_MICROSECOND : 'SECOND_MICROSECOND' ;
SECURITY : 'SECURITY' ;
SELECT : 'SELECT' ;
SEPARATOR : 'SEPARATOR' ;
SEQUENCE : 'SEQUENCE' ;
SERIAL : 'SERIAL' ;
SERIALIZABLE : 'SERIALIZABLE' ;
SESSION : 'SESSION' ;
SET : 'SET' ;
SHARDING : 'SHARDING' ;
SHARE : 'SHARE' ;
SHOW : 'SHOW' ;
SIGNED : 'SIGNED' ;
SIMPLE : 'SIMPLE' ;
SKIP_SYM : 'SKIP' ;
SLAVE : 'SLAVE' ;
SMALLINT : 'SMALLINT' ;
SNAPSHOT : 'SNAPSHOT' ;
SOFT : 'SOFT' ;
SOME : 'SOME' ;
SOUNDS : 'SOUNDS' ;
SPATIAL : 'SPATIAL' ;
SQL : 'SQL' ;
SQL_BIG_RESULT : 'SQL_BIG_RESULT' ;
SQL_BUFFER_RESULT : 'SQL_BUFFER_RESULT' ;
SQL_CACHE : 'SQL_CACHE' ;
SQL_CALC_FOUND_ROWS : 'SQL_CALC_FOUND_ROWS' ;
SQL_NO_CACHE : 'SQL_NO_CACHE' ;
SQL_SMALL_RESULT : 'SQL_SMALL_RESULT' ;
START : 'START' ;
STARTING : 'STARTING' ;
STATEMENT : 'STATEMENT' ;
STATUS : 'STATUS' ;
STORAGE : 'STORAGE' ;
STORED : 'STORED' ;
STRAIGHT_JOIN : 'STRAIGHT_JOIN' ;
SUBPARTITION : 'SUBPARTITION' ;
SUBPARTITIONS : 'SUBPARTITIONS' ;
SUSPEND : 'SUSPEND' ;
SYSTEM : 'SYSTEM' ;
SYSTEM_TIME : 'SYSTEM_TIME' ;
TABLE : 'TABLE' ;
TABLES : 'TABLES' ;
TABLESPACE : 'TABLESPACE' ;
TEMPORARY : 'TEMPORARY' ;
TERMINATED : 'TERMINATED' ;
TEXT : 'TEXT' ;
THAN : 'THAN' ;
THEN : 'THEN' ;
TIME : 'TIME' ;
TIMESTAMP : 'TIMESTAMP' ;
TINYBLOB : 'TINYBLOB' ;
TINYINT : 'TINYINT' ;
TINYTEXT : 'TINYTEXT' ;
TO : 'TO' ;
TRAILING : 'TRAILING' ;
TRANSACTION : 'TRANSACTION' ;
TRIGGER : 'TRIGGER' ;
TRIGGERS : 'TRIGGERS' ;
TRUE_SYM : 'TRUE' ;
TRUNCATE : 'TRUNCATE' ;
TYPE : 'TYPE' ;
UNBOUNDED : 'UNBOUNDED' ;
UNCOMMITTED : 'UNCOMMITTED' ;
UNION : 'UNION' ;
UNIQUE : 'UNIQUE' ;
UNKNOWN : 'UNKNOWN' ;
UNLOCK : 'UNLOCK' ;
UNSIGNED : 'UNSIGNED' ;
UPDATE : 'UPDATE' ;
UPGRADE : 'UPGRADE' ;
USAGE : 'USAGE' ;
USE : 'USE' ;
USER : 'USER' ;
USE_FRM : 'USE_FRM' ;
USING : 'USING' ;
UTC_DATE : 'UTC_DATE' ;
UTC_TIME : 'UTC_TIME' ;
UTC_TIMESTAMP : 'UTC_TIMESTAMP' ;
VALUE : 'VALUE' ;
VALUES : 'VALUES' ;
VARBINARY : 'VARBINARY' ;
VARCHAR : 'VARCHAR' ;
VARIABLES : 'VARIABLES' ;
VARYING : 'VARYING' ;
VERSIONING : 'VERSIONING' ;
VIEW : 'VIEW' ;
VIRTUAL : 'VIRTUAL' ;
WAIT : 'WAIT' ;
WARNINGS : 'WARNINGS' ;
WEEK : 'WEEK' ;
WHEN : 'WHEN' ;
WHERE : 'WHERE' ;
WINDOW : 'WINDOW' ;
WITH : 'WITH' ;
WORK : 'WORK' ;
WRITE : 'WRITE' ;
XA : 'XA' ;
XOR : 'XOR' ;
YEAR : 'YEAR' ;
YEAR_MONTH : 'YEAR_MONTH' ;
ZEROFILL : 'ZEROFILL' ;

// ---- literals -----------------------------------------------------------
HEX_NUM : '0X' [0-9A-F]+ | 'X\'' [0-9A-F]* '\'' ;
BIN_NUM : '0B' [01]+ | 'B\'' [01]* '\'' ;
FLOAT_NUM : ( [0-9]+ ( '.' [0-9]* )? | '.' [0-9]+ ) 'E' [-+]? [0-9]+ ;
DECIMAL_NUM : [0-9]* '.' [0-9]+ | [0-9]+ '.' ;
INT_NUM : [0-9]+ ;
NCHAR_STRING : 'N\'' { LexQuoted('\''); } ;
TEXT_STRING : '\'' { LexQuoted('\''); } ;
DQ_STRING : '"' { LexQuoted('"'); } ;   // becomes TEXT_STRING or DQ_IDENT
PARAM_MARKER : '?' ;

// ---- identifiers and variables -------------------------------------------
UNDERSCORE_WORD : '_' ID_CHAR+ { OnUnderscoreWord(); } ;
IDENT : [0-9]* [A-Z_$\u0080-\u00FF] ID_CHAR* ;
BQ_IDENT : '`' ( ~'`' | '``' )* '`' ;
SYSTEM_VAR : '@@' ( ID_CHAR+ ( '.' ID_CHAR+ )? | '`' ( ~'`' | '``' )* '`' ) ;
USER_VAR : '@' ( [A-Z0-9_$.\u0080-\u00FF]+ | '`' ( ~'`' | '``' )* '`'
               | '\'' ( ~'\'' | '\'\'' )* '\'' | '"' ( ~'"' | '""' )* '"' ) ;
fragment ID_CHAR : [A-Z0-9_$\u0080-\u00FF] ;

// ---- operators and punctuation -------------------------------------------
NULL_SAFE_EQ : '<=>' ;
LE : '<=' ;
GE : '>=' ;
NE : '<>' | '!=' ;
SHL : '<<' ;
SHR : '>>' ;
AND2 : '&&' ;
PIPES : '||' { OnPipes(); } ;
ASSIGN : ':=' ;
EQ : '=' ;
LT : '<' ;
GT : '>' ;
PLUS : '+' ;
MINUS : '-' ;
STAR : '*' ;
SLASH : '/' ;
PERCENT : '%' ;
CARET : '^' ;
AMP : '&' ;
PIPE : '|' ;
TILDE : '~' ;
BANG : '!' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA : ',' ;
DOT : '.' ;
SEMI : ';' ;
AT_SIGN : '@' ;
LBRACE : '{' ;
RBRACE : '}' ;
// Any other byte: a token the parser never expects (syntax error at its position).
OTHER_CHAR : . ;

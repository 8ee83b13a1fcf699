# cmake -DFILE=<gen>/MySQLParser.cpp -P fast_accessors.cmake
# Rewrites the generated context accessors to parser/fast_accessors.h (no
# dynamic_cast per child). Fails if the generated code no longer has the
# expected shape, so a tool upgrade cannot silently skip the rewrite.
file(READ "${FILE}" src)
string(REGEX REPLACE "return getRuleContext<MySQLParser::([A-Za-z0-9_]+)Context>\\(([0-9a-z]+)\\);"
       "return sp_fast::RuleChild<MySQLParser::\\1Context>(this, MySQLParser::Rule\\1, \\2);" src "${src}")
string(REGEX REPLACE "return getRuleContexts<MySQLParser::([A-Za-z0-9_]+)Context>\\(\\);"
       "return sp_fast::RuleChildren<MySQLParser::\\1Context>(this, MySQLParser::Rule\\1);" src "${src}")
string(REGEX REPLACE "return getToken\\(MySQLParser::([A-Za-z0-9_]+), ([0-9a-z]+)\\);"
       "return sp_fast::TokenChild(this, MySQLParser::\\1, \\2);" src "${src}")
string(REGEX REPLACE "return getTokens\\(MySQLParser::([A-Za-z0-9_]+)\\);"
       "return sp_fast::TokenChildren(this, MySQLParser::\\1);" src "${src}")
# Rule exit guards: a lambda held by value instead of antlrcpp::finally's
# std::function (constructed and destroyed once per rule invocation).
string(REPLACE "auto onExit = finally([=] {" "auto onExit = sp_fast::Finally([=] {" src "${src}")
string(FIND "${src}" "auto onExit = finally(" left3)
string(FIND "${src}" "getRuleContext<" left1)
string(FIND "${src}" "return getToken(" left2)
string(FIND "${src}" "sp_fast::RuleChild<" done)
if(NOT left1 EQUAL -1 OR NOT left2 EQUAL -1 OR NOT left3 EQUAL -1 OR done EQUAL -1)
  message(FATAL_ERROR "fast_accessors.cmake: unexpected generated accessor shape in ${FILE}")
endif()
string(REPLACE "#include \"MySQLParser.h\"" "#include \"MySQLParser.h\"\n#include \"parser/fast_accessors.h\"" src "${src}")
file(WRITE "${FILE}" "${src}")

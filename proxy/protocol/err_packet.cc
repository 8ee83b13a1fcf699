#include "proxy/protocol/err_packet.h"

#include "proxy/protocol/generic_response.h"

namespace shardproxy::protocol {

std::string MakeErrPacket(const Status& st, uint64_t client_caps) {
  ErrPacket e;
  if (st.ok()) {
    Status bug = Status::Bug("MakeErrPacket called with an OK status");
    e.code = bug.code();
    e.sqlstate = bug.sqlstate();
    e.message = bug.message();
  } else {
    e.code = st.code();
    e.sqlstate = st.sqlstate().size() == 5 ? st.sqlstate() : std::string("HY000");
    e.message = st.message();
  }
  return e.Serialize(client_caps);
}

}  // namespace shardproxy::protocol

# hostq's extension protocol: the services, structs and field ids osquery extensions speak.
# Only method names and field ids reach the wire, so the namespace is ours. Compiled at build
# time (thrift --gen c_glib for the agent and SDK, --gen py for the tests); never committed.

namespace c_glib HqThrift
namespace py hostq_ext

struct InternalOptionInfo {
  1:string value,
  2:string default_value,
  3:string type,
}

typedef map<string, InternalOptionInfo> InternalOptionList

struct InternalExtensionInfo {
  1:string name,
  2:string version,
  3:string sdk_version,
  4:string min_sdk_version,
}

typedef i64 ExtensionRouteUUID
typedef map<string, string> ExtensionPluginRequest
typedef list<map<string, string>> ExtensionPluginResponse
typedef map<ExtensionRouteUUID, InternalExtensionInfo> InternalExtensionList
typedef map<string, ExtensionPluginResponse> ExtensionRouteTable
typedef map<string, ExtensionRouteTable> ExtensionRegistry

enum ExtensionCode {
  EXT_SUCCESS = 0,
  EXT_FAILED = 1,
  EXT_FATAL = 2,
}

struct ExtensionStatus {
  1:i32 code,
  2:string message,
  3:ExtensionRouteUUID uuid,
}

struct ExtensionResponse {
  1:ExtensionStatus status,
  2:ExtensionPluginResponse response,
}

exception ExtensionException {
  1:i32 code,
  2:string message,
  3:ExtensionRouteUUID uuid,
}

service Extension {
  ExtensionStatus ping(),
  ExtensionResponse call(1:string registry, 2:string item, 3:ExtensionPluginRequest request),
  void shutdown(),
}

service ExtensionManager extends Extension {
  InternalExtensionList extensions(),
  InternalOptionList options(),
  ExtensionStatus registerExtension(1:InternalExtensionInfo info, 2:ExtensionRegistry registry),
  ExtensionStatus deregisterExtension(1:ExtensionRouteUUID uuid),
  ExtensionResponse query(1:string sql),
  ExtensionResponse getQueryColumns(1:string sql),
}

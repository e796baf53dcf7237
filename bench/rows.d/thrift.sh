# Extension protocol round trips (sourced by bench/run): ping and a 1,000 x 10 generate over a
# UNIX socket through the generated c_glib code and hq's buffered transport. The first generate
# line answers with prepared rows (protocol stack only); the "_build" line formats every cell
# per call like a naive extension would; "_stock_client" decodes through c_glib's ThriftSocket.
# Targets: ping <= 20 us, generate 1000x10 <= 2000 us (median).
hq_bench_thrift=""
for _c in "${HQ_BUILD:-build}/hq-bench-thrift" "${HQ_BUILD:-build}/extensions/hq-bench-thrift"; do
	[ -x "$_c" ] && hq_bench_thrift=$_c && break
done
if [ -n "$hq_bench_thrift" ]; then
	"$hq_bench_thrift" 500 1000 10 | sed 's/^/thrift /'
	"$hq_bench_thrift" 100 1000 10 build | sed 's/^/thrift /' | grep generate
	# For comparison: the same server, but the client reads through c_glib's ThriftSocket.
	"$hq_bench_thrift" 100 1000 10 stock | sed 's/^/thrift /' | grep generate
	# Both ends on one CPU: the protocol cost without the cross-CPU wake-up, which dominates a
	# ping on a busy 2-core machine.
	if command -v taskset >/dev/null; then
		taskset -c 0 "$hq_bench_thrift" 500 1000 10 | sed 's/^/thrift_one_cpu /'
	fi
else
	echo "thrift skipped: hq-bench-thrift not built"
fi

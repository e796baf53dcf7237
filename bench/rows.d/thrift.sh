# Extension protocol round trips (sourced by bench/run): ping and a 1,000 x 10 generate over a
# UNIX socket through the generated c_glib code and hq's buffered transport.
# Targets: ping <= 20 us, generate 1000x10 <= 2000 us (median).
if [ -x "${HQ_BUILD:-build}/extensions/hq-bench-thrift" ]; then
	"${HQ_BUILD:-build}/extensions/hq-bench-thrift" 500 1000 10 | sed 's/^/thrift /'
	"${HQ_BUILD:-build}/extensions/hq-bench-thrift" 100 1000 10 build | sed 's/^/thrift /' | grep generate
else
	echo "thrift skipped: hq-bench-thrift not built"
fi

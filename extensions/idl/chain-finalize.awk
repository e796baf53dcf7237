# Post-processes thrift 0.17's c_glib *_types.c: the generated finalize functions of structs do
# not chain up to their parent class, so GObject's own finalize never runs and every struct
# that picked up GObject-internal data (all of them, once a property was set) leaks it: 32 bytes
# per ExtensionStatus, one per RPC. This appends the chain-up to each struct finalize.
/^[a-z0-9_]+_finalize \(GObject \*object\)$/ {
	fn = $1
	sub(/_finalize$/, "", fn)
	infn = 1
}
infn && /^}$/ {
	print "  G_OBJECT_CLASS (g_type_class_peek_parent (g_type_class_peek (" fn "_get_type ())))->finalize (object);"
	infn = 0
}
{ print }

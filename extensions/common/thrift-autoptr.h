/* Thrift's GObject types ship without autoptr cleanup declarations; declared once here so
 * g_autoptr() and G_DECLARE_FINAL_TYPE subclasses work. */
#pragma once

#include <glib-object.h>
#include <thrift/c_glib/processor/thrift_processor.h>
#include <thrift/c_glib/protocol/thrift_protocol.h>
#include <thrift/c_glib/transport/thrift_transport.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThriftTransport, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThriftProtocol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ThriftProcessor, g_object_unref)

/* Row building: a generator pushes typed rows into a sink owned by the scan's cursor.
 *
 *	hq_row *row;
 *	r = hq_row_begin(sink, &row);
 *	if (r < 0) return r;
 *	hq_row_set_int64(row, COL_PID, pid);
 *	hq_row_set_text(row, COL_NAME, name);      (copied into the scan's arena)
 *	r = hq_row_commit(sink, row);
 *	if (r != 0) return r < 0 ? r : 0;          (> 0: a pushed-down LIMIT is satisfied)
 *
 * Setters never fail visibly: an allocation failure is remembered in the row and reported by
 * hq_row_commit() as -ENOMEM (or -E2BIG when the scan's arena cap is hit). Unset cells are NULL.
 * Column indexes are the table's own enum. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "hq/util.h"

typedef struct hq_row_sink hq_row_sink;
typedef struct hq_row hq_row;

int hq_row_begin(hq_row_sink *sink, hq_row **ret_row);
int hq_row_commit(hq_row_sink *sink, hq_row *row);

void hq_row_set_null(hq_row *row, unsigned col);
void hq_row_set_int64(hq_row *row, unsigned col, int64_t v);
void hq_row_set_double(hq_row *row, unsigned col, double v);
/* NULL s sets SQL NULL. */
void hq_row_set_text(hq_row *row, unsigned col, const char *s);
void hq_row_set_text_len(hq_row *row, unsigned col, const char *s, size_t len);
/* s must outlive the scan (a literal or static table entry); not copied. */
void hq_row_set_text_static(hq_row *row, unsigned col, const char *s);
void hq_row_set_textf(hq_row *row, unsigned col, const char *fmt, ...) _printf_(3, 4);
void hq_row_set_blob(hq_row *row, unsigned col, const void *data, size_t len);

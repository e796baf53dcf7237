/* example_table.ext: the smallest useful table extension. Table hostq_example(n, square, word)
 * with n from 1 to 10, or only the n values asked for with n = X. */
#include <hostq/extension.h>
#include <stdlib.h>

static const hq_extension_column columns[] = {
	{"n", HQ_EXTENSION_INTEGER, HQ_EXTENSION_COL_INDEX},
	{"square", HQ_EXTENSION_BIGINT, 0},
	{"word", HQ_EXTENSION_TEXT, 0},
};
static const char *const words[] = {"one", "two",   "three", "four", "five",
				    "six", "seven", "eight", "nine", "ten"};

static void add_row(hq_extension_rows *rows, long n)
{
	hq_extension_row_begin(rows);
	hq_extension_row_set_int(rows, "n", n);
	hq_extension_row_set_int(rows, "square", (int64_t)n * n);
	hq_extension_row_set(rows, "word", n >= 1 && n <= 10 ? words[n - 1] : NULL);
}

static int generate(const hq_extension_context *ctx, hq_extension_rows *rows, void *userdata)
{
	const char *expr;
	int op, any = 0;
	for (size_t i = 0; hq_extension_context_constraint(ctx, "n", i, &op, &expr) == 0; i++)
		if (op == HQ_EXTENSION_OP_EQ && expr) {
			add_row(rows, strtol(expr, NULL, 10));
			any = 1;
		}
	for (long n = 1; !any && n <= 10; n++)
		add_row(rows, n);
	return 0;
}

int main(int argc, char **argv)
{
	hq_extension *e = hq_extension_new("example_table", "1.0.0");
	hq_extension_add_table(e, "hostq_example", columns, 3, generate, NULL);
	int status = hq_extension_run(e, argc, argv);
	hq_extension_free(e);
	return status;
}

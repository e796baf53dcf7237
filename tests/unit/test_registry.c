/* The table list is explicit (tables/tables.list): check that every table file under
 * tables/<area>/ is registered, that names are unique and that every definition is sane
 * (ABI version, column array, column names unique, alias targets exist). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hq/table.h"
#include "hq/util.h"

static const char *const areas[] = {"system", "utility", "hardware", "network", "packages"};

static const hq_table_def *find(const char *name)
{
	for (const hq_table_def *const *t = hq_builtin_tables; *t; t++)
		if (strcmp((*t)->name, name) == 0)
			return *t;
	return NULL;
}

static void test_every_table_file_is_registered(void **state)
{
	for (size_t a = 0; a < HQ_ELEMENTSOF(areas); a++) {
		char dir[4096];
		DIR *d;
		struct dirent *de;

		snprintf(dir, sizeof(dir), "%s/tables/%s", HQ_TEST_SRCDIR, areas[a]);
		d = opendir(dir);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t n = strlen(de->d_name);
			char name[256];

			if (n < 3 || strcmp(de->d_name + n - 2, ".c") != 0 || n - 2 >= sizeof(name))
				continue;
			memcpy(name, de->d_name, n - 2);
			name[n - 2] = '\0';
			if (!find(name))
				fail_msg(
					"tables/%s/%s defines no registered table %s (missing from "
					"tables/%s/tables.list?)",
					areas[a], de->d_name, name, areas[a]);
		}
		closedir(d);
	}
}

static void test_definitions_are_sane(void **state)
{
	for (const hq_table_def *const *t = hq_builtin_tables; *t; t++) {
		const hq_table_def *def = *t;

		assert_int_equal(def->version, HQ_TABLE_ABI_VERSION);
		assert_non_null(def->name);
		assert_true(def->n_columns > 0);
		for (const hq_table_def *const *u = t + 1; *u; u++)
			if (strcmp(def->name, (*u)->name) == 0)
				fail_msg("table %s registered twice", def->name);
		for (size_t i = 0; i < def->n_columns; i++) {
			const hq_column *c = &def->columns[i];
			bool target_found = !c->alias_of;

			if (!c->name)
				fail_msg("%s: column %zu has no name", def->name, i);
			assert_true(c->type < _HQ_TYPE_MAX);
			for (size_t j = 0; j < def->n_columns; j++) {
				if (j != i && strcmp(c->name, def->columns[j].name) == 0)
					fail_msg("%s: duplicate column %s", def->name, c->name);
				if (c->alias_of && strcmp(c->alias_of, def->columns[j].name) == 0)
					target_found = true;
			}
			if (!target_found)
				fail_msg("%s.%s aliases a missing column", def->name, c->name);
		}
		if (!def->generate && !(def->flags & HQ_TABLE_FOREIGN))
			fail_msg("%s has no generate callback", def->name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_table_file_is_registered),
		cmocka_unit_test(test_definitions_are_sane),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

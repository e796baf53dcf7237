/* file: stat(2) metadata of the paths, or the entries of the directories, named in WHERE.
 * Source: lstat(2)/stat(2)/readlink(2) on <root><path>; path accepts '=', IN and LIKE with
 * osquery globs ('%' within one component, trailing '%%' recursive), directory lists one
 * level. Reads what the caller may read; no file contents.
 * Example: SELECT path, mode, size FROM file WHERE path LIKE '/etc/%.conf'; */
#include <assert.h>
#include <sys/stat.h>

#include "hq/query.h"
#include "hq/row.h"
#include "hq/table.h"
#include "lib/glob.h"
#include "lib/path_constraints.h"

enum {
	COL_PATH,
	COL_DIRECTORY,
	COL_FILENAME,
	COL_INODE,
	COL_UID,
	COL_GID,
	COL_MODE,
	COL_DEVICE,
	COL_SIZE,
	COL_BLOCK_SIZE,
	COL_ATIME,
	COL_MTIME,
	COL_CTIME,
	COL_BTIME,
	COL_HARD_LINKS,
	COL_SYMLINK,
	COL_TYPE,
	COL_SYMLINK_TARGET_PATH,
	COL_PID_WITH_NAMESPACE,
	COL_MOUNT_NAMESPACE_ID,
	COL_ATTRIBUTES,
	COL_VOLUME_SERIAL,
	COL_FILE_ID,
	COL_FILE_VERSION,
	COL_PRODUCT_VERSION,
	COL_ORIGINAL_FILENAME,
	COL_SHORTCUT_TARGET_PATH,
	COL_SHORTCUT_TARGET_TYPE,
	COL_SHORTCUT_TARGET_LOCATION,
	COL_SHORTCUT_START_IN,
	COL_SHORTCUT_RUN,
	COL_SHORTCUT_COMMENT,
	COL_BSD_FLAGS,
	_COL_MAX,
};

static const hq_column columns[] = {
	[COL_PATH] = {"path", HQ_TYPE_TEXT, HQ_COL_REQUIRED | HQ_COL_INDEX | HQ_COL_OPTIMIZED,
		      "Absolute file path"},
	[COL_DIRECTORY] = {"directory", HQ_TYPE_TEXT, HQ_COL_REQUIRED | HQ_COL_OPTIMIZED,
			   "Directory of file(s)"},
	[COL_FILENAME] = {"filename", HQ_TYPE_TEXT, 0, "Name portion of file path"},
	[COL_INODE] = {"inode", HQ_TYPE_BIGINT, 0, "Filesystem inode number"},
	[COL_UID] = {"uid", HQ_TYPE_BIGINT, 0, "Owning user ID"},
	[COL_GID] = {"gid", HQ_TYPE_BIGINT, 0, "Owning group ID"},
	[COL_MODE] = {"mode", HQ_TYPE_TEXT, 0, "Permission bits"},
	[COL_DEVICE] = {"device", HQ_TYPE_BIGINT, 0, "Device ID (optional)"},
	[COL_SIZE] = {"size", HQ_TYPE_BIGINT, 0, "Size of file in bytes"},
	[COL_BLOCK_SIZE] = {"block_size", HQ_TYPE_INTEGER, 0, "Block size of filesystem"},
	[COL_ATIME] = {"atime", HQ_TYPE_BIGINT, 0, "Last access time"},
	[COL_MTIME] = {"mtime", HQ_TYPE_BIGINT, 0, "Last modification time"},
	[COL_CTIME] = {"ctime", HQ_TYPE_BIGINT, 0, "Last status change time"},
	[COL_BTIME] = {"btime", HQ_TYPE_BIGINT, 0, "(B)irth or (cr)eate time"},
	[COL_HARD_LINKS] = {"hard_links", HQ_TYPE_INTEGER, 0, "Number of hard links"},
	[COL_SYMLINK] = {"symlink", HQ_TYPE_INTEGER, 0, "1 if the path is a symlink, otherwise 0"},
	[COL_TYPE] = {"type", HQ_TYPE_TEXT, 0, "File status"},
	[COL_SYMLINK_TARGET_PATH] = {"symlink_target_path", HQ_TYPE_TEXT, 0,
				     "Full path of the symlink target if any"},
	[COL_PID_WITH_NAMESPACE] = {"pid_with_namespace", HQ_TYPE_INTEGER, HQ_COL_INPUT,
				    "Pids that contain a namespace"},
	[COL_MOUNT_NAMESPACE_ID] = {"mount_namespace_id", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				    "Mount namespace id"},
	[COL_ATTRIBUTES] = {"attributes", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			    "File attrib string (Windows)"},
	[COL_VOLUME_SERIAL] = {"volume_serial", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			       "Volume serial number (Windows)"},
	[COL_FILE_ID] = {"file_id", HQ_TYPE_TEXT, HQ_COL_HIDDEN, "file ID (Windows)"},
	[COL_FILE_VERSION] = {"file_version", HQ_TYPE_TEXT, HQ_COL_HIDDEN | HQ_COL_COLLATE_VERSION,
			      "File version (Windows)"},
	[COL_PRODUCT_VERSION] = {"product_version", HQ_TYPE_TEXT,
				 HQ_COL_HIDDEN | HQ_COL_COLLATE_VERSION,
				 "File product version (Windows)"},
	[COL_ORIGINAL_FILENAME] = {"original_filename", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				   "(Executable files only) Original filename (Windows)"},
	[COL_SHORTCUT_TARGET_PATH] = {"shortcut_target_path", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				      "Full path to the file the shortcut points to (Windows)"},
	[COL_SHORTCUT_TARGET_TYPE] = {"shortcut_target_type", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				      "Display name for the target type (Windows)"},
	[COL_SHORTCUT_TARGET_LOCATION] =
		{"shortcut_target_location", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
		 "Folder name where the shortcut target resides (Windows)"},
	[COL_SHORTCUT_START_IN] = {"shortcut_start_in", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				   "Full path to the working directory (Windows)"},
	[COL_SHORTCUT_RUN] = {"shortcut_run", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			      "Window mode the target of the shortcut is run in (Windows)"},
	[COL_SHORTCUT_COMMENT] = {"shortcut_comment", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
				  "Comment on the shortcut (Windows)"},
	[COL_BSD_FLAGS] = {"bsd_flags", HQ_TYPE_TEXT, HQ_COL_HIDDEN,
			   "The BSD file flags (chflags) (macOS)"},
};
static_assert(HQ_ELEMENTSOF(columns) == _COL_MAX, "column enum and array disagree");

static const char *type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "regular";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symlink";
	case S_IFBLK:
		return "block";
	case S_IFCHR:
		return "character";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	default:
		return "unknown";
	}
}

/* One row for path (a host path). directory is the value reported in the directory column.
 * A path that does not exist or cannot be looked at gives no row. */
static int emit_file(hq_query_ctx *ctx, hq_row_sink *sink, const char *path, const char *directory)
{
	_cleanup_free_ char *real = hq_path_below_root(ctx, path);
	if (!real) {
		if (hq_ctx_root(ctx)[0] != '\0' && path[0] != '/')
			return 0; /* a relative path below a root names nothing */
		return -ENOMEM;
	}

	struct stat lst, st;
	if (lstat(real, &lst) < 0) {
		hq_log_debug("file: cannot lstat %s, skipping: %m", real);
		return 0;
	}
	bool is_link = S_ISLNK(lst.st_mode);
	/* Metadata is the target's, as osquery reports it; a dangling link keeps its own and,
	 * like osquery's status lookup of a missing target, is of unknown type. */
	const char *type;
	if (stat(real, &st) == 0) {
		type = type_name(st.st_mode);
	} else {
		st = lst;
		type = "unknown";
	}

	_cleanup_free_ char *filename = hq_path_filename(path);
	_cleanup_free_ char *target = NULL;
	if (!filename)
		return -ENOMEM;
	if (is_link && hq_ctx_column_used(ctx, COL_SYMLINK_TARGET_PATH)) {
		size_t size =
			lst.st_size > 0 && lst.st_size < 65536 ? (size_t)lst.st_size + 1 : 4096;
		target = malloc(size);
		if (!target)
			return -ENOMEM;
		ssize_t n = readlink(real, target, size - 1);
		if (n < 0) {
			free(target);
			target = NULL;
		} else {
			target[n] = '\0';
		}
	}

	hq_row *row;
	int r = hq_row_begin(sink, &row);
	if (r < 0)
		return r;
	hq_row_set_text(row, COL_PATH, path);
	hq_row_set_text(row, COL_DIRECTORY, directory);
	hq_row_set_text(row, COL_FILENAME, filename);
	hq_row_set_int64(row, COL_INODE, (int64_t)st.st_ino);
	hq_row_set_int64(row, COL_UID, st.st_uid);
	hq_row_set_int64(row, COL_GID, st.st_gid);
	hq_row_set_textf(row, COL_MODE, "%04o", (unsigned)(st.st_mode & 07777));
	hq_row_set_int64(row, COL_DEVICE, (int64_t)st.st_rdev);
	hq_row_set_int64(row, COL_SIZE, st.st_size);
	hq_row_set_int64(row, COL_BLOCK_SIZE, st.st_blksize);
	hq_row_set_int64(row, COL_ATIME, st.st_atim.tv_sec);
	hq_row_set_int64(row, COL_MTIME, st.st_mtim.tv_sec);
	hq_row_set_int64(row, COL_CTIME, st.st_ctim.tv_sec);
	/* osquery reports no birth time on Linux. */
	hq_row_set_int64(row, COL_BTIME, 0);
	hq_row_set_int64(row, COL_HARD_LINKS, (int64_t)st.st_nlink);
	hq_row_set_int64(row, COL_SYMLINK, is_link ? 1 : 0);
	hq_row_set_text_static(row, COL_TYPE, type);
	hq_row_set_text(row, COL_SYMLINK_TARGET_PATH, target);
	return hq_row_commit(sink, row);
}

static int generate(hq_query_ctx *ctx, hq_row_sink *sink)
{
	return hq_path_constraints_generate(ctx, sink, COL_PATH, HQ_GLOB_ALL, COL_DIRECTORY,
					    emit_file);
}

const hq_table_def hq_table_file = {
	.version = HQ_TABLE_ABI_VERSION,
	.name = "file",
	.description = "Interactive filesystem attributes and metadata.",
	.columns = columns,
	.n_columns = _COL_MAX,
	.flags = HQ_TABLE_UTILITY | HQ_TABLE_DIRECTONLY,
	.generate = generate,
};

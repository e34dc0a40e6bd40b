/* replay-main.c
 * Runs files through a fuzz target once, without libFuzzer: the suite
 * replays the seed corpora and the regression inputs with it in the
 * normal (gcc) build and under valgrind.
 *
 *   replay-<target> FILE|DIR ...
 *
 * Each file is copied into a buffer of exactly its size, so a read past
 * the end is caught by valgrind as it would be by ASan. Exit status 0
 * when every input ran; a failed invariant aborts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static gboolean
replay_file(const char *path, guint *count)
{
    gchar *contents = NULL;
    gsize len = 0;
    GError *error = NULL;

    if (!g_file_get_contents(path, &contents, &len, &error)) {
        fprintf(stderr, "replay: %s\n", error->message);
        g_error_free(error);
        return FALSE;
    }
    /* An exact-size copy: g_file_get_contents() adds a NUL past the end. */
    uint8_t *exact = malloc(len ? len : 1);
    if (len)
        memcpy(exact, contents, len);
    g_free(contents);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    (*count)++;
    return TRUE;
}

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static gboolean
replay_path(const char *path, guint *count)
{
    if (!g_file_test(path, G_FILE_TEST_IS_DIR))
        return replay_file(path, count);

    GDir *dir = g_dir_open(path, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    gboolean ok = TRUE;

    if (!dir) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return FALSE;
    }
    while ((name = g_dir_read_name(dir)) != NULL) {
        if (name[0] != '.')
            g_ptr_array_add(names, g_build_filename(path, name, NULL));
    }
    g_dir_close(dir);
    g_ptr_array_sort(names, compare_paths);
    for (guint i = 0; i < names->len && ok; i++)
        ok = replay_path(g_ptr_array_index(names, i), count);
    g_ptr_array_free(names, TRUE);
    return ok;
}

int
main(int argc, char **argv)
{
    guint count = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (!replay_path(argv[i], &count))
            return 1;
    }
    printf("replayed %u inputs\n", count);
    return 0;
}

/* keep-plugins.c
 * Preloaded into tshark under valgrind: dlclose() does nothing.
 *
 * tshark unloads its plugins before it exits. Memory a plugin keeps for
 * the whole run through a static pointer (a cache, the known layouts) is
 * then pointed to from nowhere, and valgrind calls it "definitely lost"
 * although it is not a leak. With the plugins left mapped, valgrind
 * reports only memory that nothing points to, and --keep-debuginfo still
 * names plugin code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

int dlclose(void *handle);

int
dlclose(void *handle)
{
    (void)handle;
    return 0;
}

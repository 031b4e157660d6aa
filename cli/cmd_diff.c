/*
 * cli/cmd_diff.c: 'dhr diff'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_diff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'diff' is not implemented yet");
	return DHR_EXIT_FATAL;
}

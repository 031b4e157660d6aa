/*
 * cli/cmd_extract.c: 'dhr extract'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_extract(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'extract' is not implemented yet");
	return DHR_EXIT_FATAL;
}

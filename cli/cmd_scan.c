/*
 * cli/cmd_scan.c: 'dhr scan'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_scan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'scan' is not implemented yet");
	return DHR_EXIT_FATAL;
}

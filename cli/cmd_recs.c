/*
 * cli/cmd_recs.c: 'dhr recs'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_recs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'recs' is not implemented yet");
	return DHR_EXIT_FATAL;
}

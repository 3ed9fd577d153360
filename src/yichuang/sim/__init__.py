"""Hall simulator (大厅仿真) and staffing planner: try a layout before rebuilding the hall.

The core (scenario, engine, stats, runs) is pure Python and runs the live dispatch policy
(``yichuang.hall.dispatch.choose``). ``events`` reads real ticket events from the database for replay.
"""

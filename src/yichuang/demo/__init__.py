"""The demo centre: a realistic district 政务服务中心 with its departments, catalogue and one user per role.

``yichuang demo`` loads it through the services (never raw inserts), idempotently.
"""

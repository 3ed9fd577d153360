from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "yichuang.workcal"
    label = "workcal"
    verbose_name = "工作日历 Work calendar"

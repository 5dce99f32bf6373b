"""The 17 Sustainable Development Goals in three languages, and the rule-profile presets."""

from django.db import migrations

from chancery.mun.presets import preset_rows

GOALS = [
    (1, "No poverty", "Ликвидация нищеты", "Кедейшілікті жою"),
    (2, "Zero hunger", "Ликвидация голода", "Аштықты жою"),
    (3, "Good health and well-being", "Хорошее здоровье и благополучие",
     "Салауатты өмір және әл-ауқат"),
    (4, "Quality education", "Качественное образование", "Сапалы білім"),
    (5, "Gender equality", "Гендерное равенство", "Гендерлік теңдік"),
    (6, "Clean water and sanitation", "Чистая вода и санитария", "Таза су және санитария"),
    (7, "Affordable and clean energy", "Недорогостоящая и чистая энергия",
     "Қолжетімді және таза энергия"),
    (8, "Decent work and economic growth", "Достойная работа и экономический рост",
     "Лайықты жұмыс және экономикалық өсу"),
    (9, "Industry, innovation and infrastructure",
     "Индустриализация, инновации и инфраструктура",
     "Индустрияландыру, инновациялар және инфрақұрылым"),
    (10, "Reduced inequalities", "Уменьшение неравенства", "Теңсіздікті азайту"),
    (11, "Sustainable cities and communities", "Устойчивые города и населённые пункты",
     "Тұрақты қалалар мен елді мекендер"),
    (12, "Responsible consumption and production", "Ответственное потребление и производство",
     "Жауапты тұтыну және өндіру"),
    (13, "Climate action", "Борьба с изменением климата", "Климаттың өзгеруімен күрес"),
    (14, "Life below water", "Сохранение морских экосистем", "Су астындағы тіршілік"),
    (15, "Life on land", "Сохранение экосистем суши", "Құрлықтағы тіршілік"),
    (16, "Peace, justice and strong institutions", "Мир, правосудие и эффективные институты",
     "Бейбітшілік, сот төрелігі және тиімді институттар"),
    (17, "Partnerships for the goals", "Партнёрство в интересах устойчивого развития",
     "Мақсаттарға жету жолындағы серіктестік"),
]


def load(apps, schema_editor):
    Goal = apps.get_model("mun", "SustainableDevelopmentGoal")
    Goal.objects.bulk_create(Goal(number=n, name_en=en, name_ru=ru, name_kk=kk)
                             for n, en, ru, kk in GOALS)
    RuleProfile = apps.get_model("mun", "RuleProfile")
    for key, fields in preset_rows().items():
        RuleProfile.objects.create(key=key, preset=True, **fields)


def unload(apps, schema_editor):
    apps.get_model("mun", "SustainableDevelopmentGoal").objects.all().delete()
    apps.get_model("mun", "RuleProfile").objects.filter(preset=True).delete()


class Migration(migrations.Migration):
    dependencies = [("mun", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

"""The Chinese words readers see for the query layer's stable keys.

Queries answer with English keys (``kind: "box"``, ``match: "segmented"``);
the terminal views and the web pages show these labels for them, so both
say the same thing in the same words.
"""

# the kinds of unit a plan holds
KIND_LABELS = {"measure": "条目", "paragraph": "段落", "box": "专栏", "table": "表格",
               "section": "章节", "target": "目标", "annex": "附件", "title": "方案标题"}

# how a unit matched a search (exact hits and listed units need no label)
MATCH_LABELS = {"exact": "", "list": "", "segmented": "分词", "department": "责任单位", "plan": "方案", "topic": "主题",
                "indicator": "指标", "task": "国家任务", "fuzzy": "纠错", "pinyin": "拼音", "related": "相关",
                "did_you_mean": "建议"}

# how a name the user typed was understood
HOW_LABELS = {"name": "名称", "alias": "别名", "part": "名称的一部分", "id": "编号", "short name": "简称",
              "region": "地区名", "abbreviation": "一字简称", "synonym": "同义词", "title": "标题"}

# the kinds of thing a search can name besides text
ENTITY_LABELS = {"department": "责任单位", "plan": "方案", "topic": "主题", "indicator": "指标", "task": "国家任务"}

# a plan's level of government
LEVEL_LABELS = {"province": "省", "city": "市", "county": "县"}

# said beside a plan whose source the publisher abridged (本文有删减)
ABRIDGED_MARK = "原文有删减"

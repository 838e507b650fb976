"""A correct sixth plan, written by hand as a curator would (docs/data-format.md,
"Adding a plan by hand"): its source (an invented 西南省 plan, not a real
document), its file (catalogue entry and body), and the vocabulary it needs.

:func:`add` puts it into a data directory; tests/test_sixth_plan.py checks
that validation, the build, search, targets and compare take it in.
"""

from __future__ import annotations

from pathlib import Path

PLAN_ID = "xinan"

SOURCE = """\
西南省人民政府
关于印发《西南省推进以人为本的新型城镇化实施方案(2025—2029年)》的通知
西政发〔2025〕7号
各市州人民政府,省政府各部门:
现将《西南省推进以人为本的新型城镇化实施方案(2025—2029年)》印发给你们,请认真贯彻执行。
西南省人民政府
2025年3月10日
西南省推进以人为本的新型城镇化实施方案(2025—2029年)
为贯彻落实《深入实施以人为本的新型城镇化战略五年行动计划》(国发〔2024〕17号),制定本方案。
一、总体目标
到2029年,全省常住人口城镇化率达到60%左右,力争城镇新增就业累计达到120万人。
二、重点任务
(一)深化户籍制度改革。全面放开城镇落户限制,推行以经常居住地登记户口制度。(牵头单位:省公安厅;配合单位:省发展改革委)
(二)保障随迁子女受教育权利。确保随迁子女100%在公办学校就读。(责任单位:省教育厅,甲市、乙市政府)
(三)推进城镇老旧小区改造。到2027年完成老旧小区改造3万户以上。逐步建立城市体检评估制度。(责任单位:省住房城乡建设厅)
"""

BODY = """\
plan:
  id: xinan
  name: 西南省推进以人为本的新型城镇化实施方案(2025—2029年)
  short_name: 西南
  region: 西南省
  level: province
  issuer: 西南省人民政府
  doc_number: 西政发〔2025〕7号
  issue_date: 2025-03-10
  period: {start: 2025, end: 2029}
  parent: 国发〔2024〕17号
  source: sources/xinan.txt
  script: simplified
  completeness: 全文
  title_lines: [8]
  skip:
    - {lines: 1-4, kind: header, reason: "文件版头: 发文机关、通知标题、文号、主送机关"}
    - {lines: 6-7, kind: signature, reason: "落款: 署名、日期"}
measures:
  - id: xinan/0.notice
    kind: paragraph
    text: 现将《西南省推进以人为本的新型城镇化实施方案(2025—2029年)》印发给你们,请认真贯彻执行。
    line: 5
    topics: []
  - id: xinan/0.p1
    kind: paragraph
    text: 为贯彻落实《深入实施以人为本的新型城镇化战略五年行动计划》(国发〔2024〕17号),制定本方案。
    line: 9
    topics: [总体要求]
sections:
  - id: xinan/1
    number: 一、
    title: 总体目标
    line: 10
    measures:
      - id: xinan/1.p1
        kind: paragraph
        text: 到2029年,全省常住人口城镇化率达到60%左右,力争城镇新增就业累计达到120万人。
        line: 11
        topics: [目标指标]
        targets:
          - indicator: 常住人口城镇化率
            value: 60
            unit: "%"
            as_written: 60%左右
            qualifier: 左右
            comparator: approx
            year: 2029
            quote: 到2029年,全省常住人口城镇化率达到60%左右
          - indicator: 城镇新增就业
            value: 120
            unit: 万人
            as_written: 120万人
            qualifier: 达到
            comparator: eq
            aspiration: 力争
            cumulative: true
            year: 2029
            quote: 力争城镇新增就业累计达到120万人
  - id: xinan/2
    number: 二、
    title: 重点任务
    line: 12
    measures:
      - id: xinan/2.1
        kind: measure
        number: (一)
        title: 深化户籍制度改革
        text: 深化户籍制度改革。全面放开城镇落户限制,推行以经常居住地登记户口制度。
        line: 13
        departments: [省公安厅, 省发展改革委]
        lead: [省公安厅]
        departments_quote: (牵头单位:省公安厅;配合单位:省发展改革委)
        topics: [户籍]
        tasks: [national/1.1]
      - id: xinan/2.2
        kind: measure
        number: (二)
        title: 保障随迁子女受教育权利
        text: 保障随迁子女受教育权利。确保随迁子女100%在公办学校就读。
        line: 14
        departments:
          - 省教育厅
          - {joint: 甲市、乙市政府, names: [甲市政府, 乙市政府]}
        departments_quote: (责任单位:省教育厅,甲市、乙市政府)
        topics: [随迁子女教育]
        tasks: [national/1.4]
        targets:
          - indicator: 义务教育阶段随迁子女在公办学校就读比例
            value: 100
            unit: "%"
            as_written: 100%
            comparator: eq
            year: 2029
            year_implied: true
            quote: 确保随迁子女100%在公办学校就读
      - id: xinan/2.3
        kind: measure
        number: (三)
        title: 推进城镇老旧小区改造
        text: 推进城镇老旧小区改造。到2027年完成老旧小区改造3万户以上。逐步建立城市体检评估制度。
        line: 15
        departments: [省住房城乡建设厅]
        departments_quote: (责任单位:省住房城乡建设厅)
        topics: [老旧小区]
        tasks: [national/4.1]
        targets:
          - indicator: 老旧小区改造
            value: 3
            unit: 万户
            as_written: 3万户以上
            qualifier: 以上
            comparator: ge
            year: 2027
            quote: 到2027年完成老旧小区改造3万户以上
          - indicator: 城市体检覆盖率
            value: null
            as_written: 建立城市体检评估制度
            comparator: complete
            year: null
            quote: 逐步建立城市体检评估制度
"""

VOCABULARY = """\
departments:
  - {name: 甲市人民政府, aliases: [甲市政府], level: city}
  - {name: 乙市人民政府, aliases: [乙市政府], level: city}
"""


def add(root: Path) -> None:
    """Add the plan to the data directory ``root``: its source, its file
    (catalogue entry and body) and the two departments it needs — its own
    files only."""
    (root / "sources" / f"{PLAN_ID}.txt").write_text(SOURCE, encoding="utf-8")
    (root / "plans" / f"{PLAN_ID}.yaml").write_text(BODY, encoding="utf-8")
    (root / "vocabulary").mkdir(exist_ok=True)
    (root / "vocabulary" / f"{PLAN_ID}.yaml").write_text(VOCABULARY, encoding="utf-8")
    from conftest import declare_places

    declare_places(root, regions=("西南省",))  # its region is made up: declared as a place (cz validate: E176)

"""China's provincial-level divisions and their one-character abbreviations
(简称), as used to name a province's plan: 黔 = 贵州, 冀 = 河北, 湘 = 湖南,
青 = 青海.  Where a province has two (贵州: 黔 and 贵), both are listed.

Pure data; which plan an abbreviation names is decided against the
catalogue (query/resolve.py), and only when exactly one plan fits.  This is
the one table of abbreviations: the place vocabulary (kb/places.py) attaches
each to its province and refuses one that names no province (E175).
"""

from __future__ import annotations

# abbreviation -> the province's short name (as it begins the region's name)
ABBREVIATIONS: dict[str, str] = {
    "京": "北京", "津": "天津", "沪": "上海", "渝": "重庆",
    "冀": "河北", "晋": "山西", "蒙": "内蒙古", "辽": "辽宁", "吉": "吉林", "黑": "黑龙江",
    "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建", "赣": "江西", "鲁": "山东",
    "豫": "河南", "鄂": "湖北", "湘": "湖南", "粤": "广东", "桂": "广西", "琼": "海南",
    "川": "四川", "蜀": "四川", "黔": "贵州", "贵": "贵州", "滇": "云南", "云": "云南",
    "藏": "西藏", "陕": "陕西", "秦": "陕西", "甘": "甘肃", "陇": "甘肃", "青": "青海",
    "宁": "宁夏", "新": "新疆", "港": "香港", "澳": "澳门", "台": "台湾",
}

# what a region's name may end with after its short name (贵州省, 北京市,
# 广西壮族自治区 …): the suffixes a user may add or leave off
REGION_SUFFIXES = ("省", "市", "县", "区", "州", "盟", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区",
                   "特别行政区", "自治州", "自治县", "地区")

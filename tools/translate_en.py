# Fills src/yichuang/locale/en/LC_MESSAGES/django.po from this table and compiles the .mo:
#   uv run yichuang makemessages -l en (in src/yichuang) ; uv run --with polib python tools/translate_en.py src/yichuang/locale/en/LC_MESSAGES/django.po
import polib, sys
T = {
"或按事项取号：输入事项名称、拼音或首字母":"Or take a number for a matter: type its name, pinyin or initials",
"如：营业执照 / yingye / yyzz":"e.g. 营业执照 / yingye / yyzz","查找事项":"Find the matter",
"没有找到匹配的事项，请按领域取号或咨询导服台。":"No matching matter; take a number by service area or ask the help desk.",
"登录":"Log in","工作人员登录":"Staff login","用户名或密码错误，请重试。":"Wrong username or password; please try again.",
"用户名":"Username","密码":"Password","一窗":"Yichuang","一窗政务服务":"Yichuang government services","办事指南":"Service guide",
"退出":"Log out","一窗 Yichuang · 开源政务服务平台":"Yichuang · open-source government service platform",
"请先回答上面的问题，清单会按您的情形调整。":"Answer the questions above; the checklist adapts to your situation.",
"必要":"Required","必要（可容缺）":"Required (may follow later)","非必要":"Optional","免提交":"Not needed (e-licence)",
"原件":"Original","复印件":"Copy","原件和复印件":"Original and copy","纸质":"Paper","电子":"Electronic","纸质或电子":"Paper or electronic",
"可用电子证照：%(n)s":"E-licence accepted: %(n)s","出具单位：%(d)s":"Issued by: %(d)s","填写要求与示范":"Requirements and samples",
"审查要点":"Review points","空白样表":"Blank form","本情形无需提交材料。":"No materials are needed in this situation.",
"一次性告知书":"One-time checklist notice","事项名称":"Matter","实施编码":"Implementation code","第 %(n)s 版":"version %(n)s",
"实施主体":"Department","承诺办结时限":"Promised time limit","%(d)s 个工作日":"%(d)s working days","即办":"Immediate",
"申请材料":"Materials","打印":"Print","基本信息":"Basic information","基本编码":"Basic code","事项类型":"Matter type",
"办件类型":"Handling kind","法定办结时限":"Legal time limit","到现场次数":"On-site visits","0 次（全程网办）":"0 (fully online)",
"%(n)s 次":"%(n)s","是否收费":"Fee","收费":"Fee charged","不收费":"Free","可办理层级":"Levels that handle it",
"办理结果":"Result","受理条件":"Acceptance conditions","设定依据":"Legal basis",
"一次性告知：需要准备的材料":"One-time checklist: materials to prepare","更新清单":"Update the checklist",
"打印一次性告知书":"Print the checklist notice","办理流程":"Process","常见问题":"FAQ",
"输入要办的事，如：开饭店、身份证、sfz":"What do you need to do? e.g. 开饭店, 身份证, sfz","搜索事项":"Search matters","搜索":"Search",
"即办件":"Immediate","承诺 %(d)s 个工作日":"%(d)s working days promised","全程网办":"Fully online","最多跑 %(n)s 次":"At most %(n)s visits",
"没有找到与“%(q)s”相关的事项。":"No matter found for “%(q)s”.",
"可输入事项名称、俗称（如“开饭店”）、全拼或首字母。":"Type a matter's name, an everyday phrase (e.g. 开饭店), its pinyin or its initials.",
"操作未完成":"Not done","返回上一页":"Go back","首页":"Home","只进一扇门，只到一个窗，最多跑一次":"One door, one window, at most one visit",
"工作日历":"Work calendar","管理后台":"Administration","全年工作日 %(n)s 天":"%(n)s working days in the year","工作日":"Working day","休息日":"Rest day",
"法定节假日":"Public holiday","调休休息":"Adjusted rest day","调休上班":"Adjusted working day",
"管理员：点击某一天即可在工作日与休息日之间切换。":"Administrators: click a day to switch it between working day and rest day.",
"节日名称（可选）":"Holiday name (optional)","例如：春节":"e.g. Spring Festival","月":"","%(n)s 个工作日":"%(n)s working days",
"以上为办理本事项需要提交的全部材料。材料齐全、符合法定形式的，窗口当场收件；不再要求提交清单以外的材料。":
"These are all the materials this matter needs. When they are complete and in legal form, the window receives the case on the spot; nothing outside this list will be asked for.",
"试试更短的词（如“身份证”“营业执照”），或输入拼音首字母（如 sfz、yyzz）。也可到综合窗口或拨打 12345 咨询。":
"Try a shorter word (e.g. 身份证, 营业执照) or pinyin initials (e.g. sfz, yyzz), or ask at a comprehensive window or call 12345.",
"本年度尚未公布放假安排：按《全国年节及纪念日放假办法》的法定节假日和周末推算，不含调休；据此计算的期限标注为“暂定”。":
"No official schedule has been published for this year: days are computed from the statutory holidays and weekends, without adjusted days, and deadlines based on them are marked provisional.",
}
T.update({
"叫号显示屏":"Calling display","正在呼叫":"Now calling","请 %(n)s 号到 %(w)s 号窗口办理":"Number %(n)s, please go to window %(w)s",
"欢迎光临":"Welcome","最近呼叫":"Recent calls","号窗口":"(window)","等候人数":"Waiting","叫号台":"Calling console",
"%(n)s 号窗口":"Window %(n)s","选择窗口":"Choose a window","登录窗口":"Sign in to the window","当前号":"Current ticket",
"重呼":"Recall","过号":"No-show","开始办理":"Start","办结":"Finish","转到领域":"Transfer to domain","转移":"Transfer",
"受理（收件）":"Receive the case","暂无正在办理的号":"No ticket in service","呼叫下一位":"Call next","暂停":"Pause",
"恢复":"Resume","退出窗口":"Leave the window","各领域等候":"Waiting per domain","领域":"Domain","无人等候":"Nobody waiting",
"打开大厅显示屏":"Open the hall display","自助取号":"Take a number","标准字体":"Normal text","大字模式（适老化）":"Large text",
"身份证号（选填；70岁以上免等优先）":"ID number (optional; 70 and over are served first)","等候 %(n)s 人":"%(n)s waiting",
"大厅统计":"Hall statistics","日期":"Date","维度":"By","窗口":"Window","人员":"Clerk","查询":"Show","对象":"Key","叫号":"Called",
"平均等候（分钟）":"Mean wait (min)","平均办理（分钟）":"Mean service (min)","过号率":"No-show rate","当日暂无数据":"No data for this day",
"请到 %(w)s 号窗口":"please go to window %(w)s","前面还有 %(a)s 人，预计等候约 %(m)s 分钟":"%(a)s ahead of you, about %(m)s minutes",
"取号时间":"Taken at","扫码查看进度":"Scan for progress","扫码查看排队进度":"Scan to follow your place in the queue",
})
T.update({
"预约取号":"Appointments","预约码 <strong>%(c)s</strong> · %(s)s":"Appointment code <strong>%(c)s</strong> · %(s)s",
"已取号 %(n)s":"Ticket %(n)s taken","请在预约时段开始前后15分钟内到大厅签到取号，迟到按普通号排队。":
"Check in at the hall within 15 minutes of your slot's start; late arrivals queue as normal tickets.",
"业务":"Service","全部":"All","预约":"Book","时段":"Time","剩余":"Places left","已约满":"Full","%(r)s / %(c)s":"%(r)s / %(c)s",
"暂无可预约时段":"No slots open","姓名":"Name","身份证号":"ID number","手机":"Mobile","取消预约 / 签到取号":"Cancel / check in",
"预约码":"Appointment code","签到取号":"Check in","取消预约":"Cancel the appointment",
})
T.update({
"待办箱":"Inbox","状态":"State","全部在办":"All open","时限":"Deadline","事项实施编码":"Matter code","筛选":"Filter",
"办件编号":"Case number","事项":"Matter","申请人":"Applicant","办结期限":"Due date","容缺":"Tolerant","没有待办件":"No cases",
"上一页":"Previous","第 %(page)s 页":"Page %(page)s","下一页":"Next","办件进度查询":"Case progress",
"证件号码后四位":"Last 4 characters of the ID number","剩余工作日":"Working days left",
"需补齐补正的材料":"Materials still to supply","办理记录":"History",
})
T.update({"找到 %(n)s 个事项": ("%(n)s matter found", "%(n)s matters found"), "共 %(n)s 项材料": ("%(n)s item", "%(n)s items")})
po = polib.pofile(sys.argv[1])
missing = []
for e in po:
    t = T.get(e.msgid)
    if t is None:
        missing.append(e.msgid); continue
    if e.msgid_plural:
        e.msgstr_plural = {0: t[0], 1: t[1]} if isinstance(t, tuple) else {0: t, 1: t}
    else:
        e.msgstr = t if t else e.msgid
    if "fuzzy" in e.flags: e.flags.remove("fuzzy")
po.metadata["Language"] = "en"; po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
po.save(); po.save_as_mofile(sys.argv[1][:-3] + ".mo")
print("missing:", missing)

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
"操作未完成":"Not done","返回上一页":"Go back","返回首页":"Home page","无权访问":"Not allowed","未找到":"Not found","首页":"Home","只进一扇门，只到一个窗，最多跑一次":"One door, one window, at most one visit",
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
T.update({
"收件":"Receive","网上申请":"Apply online","我的办件":"My cases","进度查询":"Track a case","申请情形":"Situation",
"按情形生成材料清单":"Build the checklist for this situation","请先回答全部情形问题，再填写申请。":"Answer every situation question before filling in the application.",
"申请人类型":"Applicant kind","申请人名称（姓名或企业名称）":"Applicant (name or company name)","身份证号码（自然人必填）":"ID number (persons)",
"统一社会信用代码（法人必填）":"Unified social credit code (companies)","联系人":"Contact","联系电话":"Phone","联系地址（邮寄送达用）":"Address (for postal delivery)",
"代办人（受委托办理）":"Agent (acting on a power of attorney)","代办人姓名":"Agent's name","代办人身份证号码":"Agent's ID number",
"已提交授权委托书":"Power of attorney presented","申请表":"Application form","材料清单":"Checklist","材料":"Materials","必要性":"Necessity",
"收取":"Received","扫描件（PDF/JPEG/PNG）":"Scan (PDF/JPEG/PNG)","上传扫描件即为已提交":"Uploading a scan hands it in",
"已收（纸质）":"Received (paper)","已收（电子）":"Received (electronic)","缺少":"Missing","需补正":"Needs correction","说明":"Note",
"提交后由后台预审；领取结果时可在窗口核验原件。":"The back office pre-reviews it; originals are checked at the window when you collect the result.",
"提交申请":"Submit","搜索事项：名称、拼音或首字母":"Search matters: name, pinyin or initials","没有找到事项。":"No matter found.",
"视为受理":"Deemed accepted","办件信息":"Case","代办人":"Agent","承办部门":"Department","渠道":"Channel","收件中心":"Receiving centre",
"办理中心":"Handling centre","收件时间":"Received at","承诺 %(p)s 个工作日 / 法定 %(l)s 个工作日":"promised %(p)s working days / legal %(l)s working days",
"受理日期":"Accepted on","日历暂定":"Provisional calendar","法定期限":"Legal limit","超过法定期限":"Past the legal limit",
"中止工作日":"Working days suspended","延期工作日":"Working days extended","补正期限":"Supplement due","容缺补交期限":"Tolerant items due",
"载体":"Medium","扫描件":"Scan","文书":"Notices","暂无文书":"No notices yet","时间":"Time","经办人":"Staff",
"预审通过":"Pre-review passed","流转后台":"Forward to the back office","预审通过，转入受理":"Pass pre-review and forward",
"补齐补正通知书":"Supplement notice","一次性告知全部缺少或需补正的材料。":"List every missing or incorrect item at once.",
"问题":"Problem","补正要求":"What to correct","备注":"Remark","出具补齐补正通知书":"Issue the supplement notice","容缺受理":"Tolerant acceptance",
"申请人书面承诺":"Applicant's written commitment","容缺受理并流转":"Accept tolerantly and forward","收取补正材料":"Receive the supplement",
"补交容缺材料":"Hand in tolerant items","补收材料":"Receive more materials","没有待补的材料。":"Nothing is outstanding.","补正完成":"Supplement complete",
"保存":"Save","受理":"Accept","受理（出具受理通知书）":"Accept (acceptance notice)","即办件当场办结":"Decide an immediate matter now",
"审查意见":"Opinion","受理并准予许可":"Accept and approve","不予受理":"Do not accept","理由":"Reason","法律依据":"Legal basis",
"如：《中华人民共和国行政许可法》第三十二条":"e.g. Administrative Licensing Law, Art. 32","出具不予受理通知书":"Issue the non-acceptance notice",
"中止计时":"Suspend the clock","原因":"Reason","恢复计时":"Resume the clock","恢复计时（期限顺延）":"Resume (the deadline moves)",
"延期":"Extend","延长工作日":"Working days","批准人":"Approved by","延期（仅一次）":"Extend (once only)","审批决定":"Decision",
"依据":"Basis","准予许可":"Approve","不予许可":"Deny","制证":"Produce the result","结果已制作，转出件窗口":"Result ready; to the issuance window",
"统一出件":"Issue the result","送达方式":"Delivery","签收人（窗口领取，送达回证）":"Signed by (at the window; proof of service)",
"邮寄送达":"By post","邮寄地址":"Postal address","快递公司":"Carrier","运单号":"Tracking number","已核验原件":"Originals checked",
"出件":"Issue","办结归档":"Close and archive","撤回":"Withdraw","撤回原因":"Reason for withdrawal","撤回申请":"Withdraw the application",
"当前没有您可以办理的操作。":"There is nothing for you to do on this case now.","暂无办件":"No cases","在线补正":"Supplement online",
"提交补正材料":"Send the supplement","申请人登录后可在此在线补正，或携带材料到综合窗口补正。":"Sign in as the applicant to supplement online here, or bring the items to a comprehensive window.",
"%(n)s 号":"No. %(n)s","第 %(v)s 版":"version %(v)s","今天没有 %(n)s 号，请直接选择事项。":"There is no ticket %(n)s today; choose the matter directly.",
})
T.update({
"效能监察":"Supervision","站内消息":"Messages","评价本次服务（好差评）":"Rate this service","工单":"Ticket",
"办不成事与热线工单":"Can't-get-it-done and hotline tickets","反映内容":"What was reported","反映人":"Reported by","关联办件":"Case",
"期限":"Due","满意度":"Satisfaction","回访满意度":"Satisfaction at callback","办结工单":"Resolve the ticket","登记工单":"Open a ticket",
"类型":"Kind","电话":"Phone","关联办件编号":"Case number","登记":"Open","待处理":"Open","已办结":"Done","工单号":"Ticket",
"内容":"Content","部门":"Department","已督办":"Escalated","没有工单":"No tickets","指标看板":"KPI dashboard","入户直通车":"Door-to-door service",
"超期办件（红灯）":"Overdue cases (red)","没有超期办件":"No overdue cases","差评整改":"Rectification of bad ratings","评价对象":"Rated",
"等级":"Level","回访期限":"Callback due","整改期限":"Rectification due","没有待整改的差评":"No bad ratings to rectify","待办工单":"Open tickets",
"没有待办工单":"No open tickets","未读消息":"Unread messages","没有未读消息":"No unread messages",
"入户直通车（上门服务）":"Door-to-door service days","%(d)s 上门路线":"Route for %(d)s","查看":"Show","片区":"Zone","地址":"Address",
"已上门办理":"Done at home","当日没有上门预约":"No home visits booked that day","服务片区":"Zones","服务日（每月）":"Service days (of the month)",
"近期服务日":"Next service days","可办事项":"Matters","尚未设置服务片区":"No zones yet","电话预约登记":"Book by phone","服务日期":"Date",
"全部标为已读":"Mark all read","级别":"Level","消息":"Message","没有消息":"No messages","开始":"From","结束":"To","中心":"Centre",
"导出Excel":"Export to Excel","综窗占比":"Comprehensive windows","共 %(n)s 个窗口":"%(n)s windows in all","通办率":"Receivable anywhere",
"全程网办率":"Fully online","即办件占比":"Immediate matters","承诺时限压缩率":"Time-limit compression","平均等候":"Mean wait","分钟":"minutes",
"平均办理时长":"Mean handling time","天":"days","跑动次数":"Visits per case","次/件":"per case","满意率":"Satisfaction",
"%(n)s 条评价":"%(n)s ratings","差评整改率":"Bad ratings rectified","超期率":"Overdue rate","在办超期 %(n)s 件":"%(n)s open cases overdue",
"各时段等候（分钟）":"Wait by hour (minutes)","各领域等候（分钟）":"Wait by domain (minutes)","窗口构成":"Windows by type",
"部门办结与超期率":"Decided and overdue by department","部门排名":"Departments","平均办理（天）":"Mean handling (days)","人员排名":"Staff",
"服务人次":"Served","平均服务（分钟）":"Mean service (minutes)","好差评":"Rate our service","%(n)s 号 · %(d)s":"No. %(n)s · %(d)s",
"总体评价":"Overall","意见建议":"Comments","提交评价":"Send","感谢您的评价！":"Thank you for your rating!",
"不满意的评价将在1个工作日内回访，15个工作日内整改答复。":"We call back on a bad rating within 1 working day and reply with what we changed within 15.",
"返回办件进度":"Back to the case","评价":"Rating","已超期":"Overdue","回访情况":"Callback notes","整改答复":"Reply","已回访":"Called back",
"整改情况与答复":"What was changed","答复整改结果":"Send the reply","等待申请人复评；申请人未复评时可直接办结。":"Waiting for the applicant's follow-up rating; close it if none comes.",
})
T.update({  # e-licences, documents and signatures
"电子证照库":"E-licence library","证照编号/持证主体/证件号":"Licence number / holder / identifier","证照类型":"Licence type",
"证照编号":"Licence number","持证主体":"Holder","证件号":"Identifier","发证机关":"Issuer","有效期":"Validity","长期":"No end",
"来源办件":"Source case","没有符合条件的证照":"No licence matches","证照核验（公开）":"Licence verification (public)",
"电子签章核验":"Signature verification","延续":"Renew","已延续 %(n)s 次":"renewed %(n)s times","电子证照PDF（已签章）":"E-licence PDF (signed)",
"免提交引用":"Used instead of paper","材料":"Material","时间":"Time","尚未被引用":"Not used yet","证照管理":"Manage the licence",
"暂扣原因":"Reason for suspension","暂扣":"Suspend","说明":"Note","撤销原因":"Reason for revocation","撤销":"Revoke",
"延续至":"Renew until","返回证照库":"Back to the library","证照核验":"Licence verification","持证主体名称":"Holder's name",
"核验":"Verify","证照有效":"Valid licence","证照无效":"Invalid licence","下载电子证照PDF":"Download the e-licence PDF",
"上传本中心出具的通知书、决定书或电子证照PDF，核验其是否真实、未被篡改。":
"Upload a notice, decision or e-licence PDF issued by this centre to check that it is genuine and unaltered.",
"PDF文件":"PDF file","真实有效":"Genuine","未通过核验":"Not genuine","文件":"File","签章人":"Signed by","签章时间":"Signed at",
"签名完整":"Signature intact","证书可信":"Certificate trusted","覆盖全文":"Covers the whole file","办件文书":"Case documents",
"文书":"Document","编号":"Number","下载PDF":"Download PDF","电子证照":"E-licences",
"大厅仿真":"Hall simulator","大厅仿真与排班规划":"Hall simulator and staffing planner",
"改造大厅之前先试一试：选择示例情景或粘贴 YAML，比较部门专窗、综窗和技能配置，或求满足等候目标的最少窗口数。仿真调用与实时叫号相同的派号策略。":
"Try a layout before rebuilding the hall: pick an example scenario or paste YAML, compare department windows, comprehensive windows and skill mixes, or find the fewest windows that meet a wait target. The simulation calls the same dispatch policy as the live hall.",
"示例情景":"Example scenario","运行":"Run","比较布局":"Compare layouts","模拟一天":"Simulate a day","排班规划":"Staffing plan",
"随机种子":"Seed","模拟天数":"Days simulated","目标平均等候":"Target mean wait","目标p90":"Target p90","运行仿真":"Run",
"情景 YAML":"Scenario YAML","布局比较":"Layout comparison","方案":"Layout","平均等候":"Mean wait","最长":"Max",
"闭馆未叫号":"Unserved at closing","平均利用率":"Mean utilisation","平均等候降幅（较改革前）":"Mean wait reduction (vs before)",
"等候单位：分钟。同一随机种子下各方案面对完全相同的办事群众。":"Waits in minutes. With one seed every layout sees exactly the same applicants.",
"建议":"Answer","个窗口":"windows","每小时平均等候":"mean wait in every hour","分钟":"minutes",
"在窗口数上限内没有方案达标。":"No layout met the target within the window limit.","技能配置":"Skill mix","窗口数":"Windows",
"达标":"Meets target","分组":"Groups","每个窗口的技能":"Skills per window","到达":"Arrived","办理":"Served",
})
T.update({  # 一件事 bundles
"一件事":"One-thing bundles","一件事一次办":"One thing, done once","一件事办件":"Bundle cases","一次出件":"Issue everything at once",
"一次告知、一表申请、一套材料、一窗受理、一个编号，各部门按顺序并联办理，结果一次领取。":
"One checklist, one form, one set of materials, one window, one number; the departments work in order and in parallel, and the results are handed over once.",
"一次收件，分发各部门":"Receive once, send to every department","不予":"Deny","事项":"Matter","关键路径":"Critical path","准予":"Approve",
"前置事项":"Prerequisites","前置事项产出":"Produced by prerequisites","受理":"Accept","各事项办理情况":"Matters and their progress",
"子办件":"Sub-case","审查意见":"Opinion","已上传":"Uploaded","已超期":"Overdue","承诺时限（工作日）":"Promised (working days)",
"按情形生成联合表单和材料清单":"Build the union form and checklist for these answers","收件中心":"Receiving centre","用于":"For",
"材料清单（已合并，一份材料只交一次）":"Checklist (merged: each material handed in once)",
"由前置事项办结后自动填入，无需填写。":"filled in automatically once the prerequisite is approved; nothing to type.",
"申请人姓名":"Applicant's name","申请情形（各事项共用，只问一次）":"Situation (shared by all matters, asked once)",
"登录后申请":"Log in to apply","窗口收件":"Receive at the window","统一社会信用代码（已有企业填写）":"Credit code (existing companies)",
"编号":"Number","联合表单（共用信息只填一次）":"Union form (shared information typed once)",
"请先回答全部情形问题，再填写联合表单。":"Answer every situation question first, then fill in the union form.",
"预计办结":"Expected completion","领取人签收":"Signed for by","提交申请":"Submit",
"关键路径 %(d)s 个工作日":"Critical path %(d)s working days",
"关键路径 %(d)s 个工作日（逐项办理合计 %(s)s 个工作日）":"Critical path %(d)s working days (%(s)s one after another)",
"（%(n)s 个事项共用）":"(shared by %(n)s matters)",
"部门":"Department","排队号":"Ticket","身份证号码":"ID number","承诺办结日":"Due date",
"一件事进度查询":"Bundle progress lookup","一件事编号":"Bundle number","证件号码后四位":"Last 4 characters of the ID","查询":"Look up",
})
T.update({"文书PDF（电子签章）": "Notices as signed PDFs", "查看和下载文书（PDF）": "View and download the notices (PDF)"})
T.update({"完整号码": "Full numbers", "查看理由（将留痕）": "Reason (recorded in the audit log)", "查看理由": "Reason",
          "查看完整号码": "Show the full numbers", "本次查看已记入审计日志。": "This view was recorded in the audit log.",
          "申请人证件号码": "Applicant's ID number", "代办人证件号码": "Agent's ID number"})
T.update({"办结并叫下一位": "Finish and call next"})
T.update({"收件并流转": "Receive and forward", "材料齐全时，收件后直接流转后台": "When every material is in, receive and send to the back office in one step"})
T.update({"%(c)s 已签到": "%(c)s signed in", "%(w)s 号窗口": "window %(w)s", "“%(q)s”的事项": "Matters for “%(q)s”",
          "不可约": "Not open", "今日暂无呼叫": "No calls yet today", "余 %(n)s": "%(n)s left", "余 %(r)s / %(c)s": "%(r)s of %(c)s left",
          "号码": "Number", "填写预约人信息": "Your details", "完成": "Done", "已有预约？取消预约 / 签到取号": "Booked already? Cancel or check in",
          "已过": "Past", "已重呼 %(n)s 次": "recalled %(n)s times", "已预约？签到取号": "Booked? Check in for a number",
          "开启语音播报": "Turn on voice announcements", "当天暂无可预约时段": "No slots on this day",
          "您所在的中心还没有设置窗口，请联系管理员在管理后台添加窗口。": "Your centre has no windows yet; ask an administrator to add them.",
          "手机号码（选填）": "Mobile phone (optional)", "打开自助取号机": "Open the kiosk", "扫码在手机上查看排队进度": "Scan to follow the queue on your phone",
          "暂无可预约日期": "No days open for booking", "暂无等候": "Nobody waiting", "更换业务": "Change", "未记录": "Not recorded",
          "确认预约": "Book", "窗口尚未开放，请稍候或咨询导服台。": "The windows are not open yet; please wait or ask at the help desk.",
          "等 %(t)s 项": "and more (%(t)s in all)", "语音播报已开启": "Voice announcements on",
          "请留意大厅显示屏和语音叫号；过号可重新排队一次。": "Watch the hall screen and listen for your number; a missed number may queue once more.",
          "请记下预约码。当天在预约时段开始前60分钟至开始后15分钟内，到大厅自助取号机或在本页签到取号；迟到按普通号排队。":
          "Note the code. On the day, check in at the hall kiosk or on this page from 60 minutes before to 15 minutes after the start; later, you queue as a walk-in.",
          "请选择业务": "Choose a service", "近期可预约时段已约满，请选择其他业务或改日再来。": "The coming days are fully booked; choose another service or come back later.",
          "返回取号": "Back to the kiosk", "选择业务": "Choose the service", "选择日期": "Choose a day", "选择时段": "Choose a time",
          "预约成功": "Booked", "已登录 %(n)s 号窗口。": "Signed in at window %(n)s.",
          "日期格式应为 YYYY-MM-DD。": "Dates are YYYY-MM-DD."})
# Posts and presence, receiving, approving with result data, documents and the guide (issue 19).
T.update({
 "岗位/在岗状态": "Posts and presence",
 "A/B岗：A岗在岗时由A岗办理；A岗全部缺席时由B岗办理。标记缺席须填写原因，每次变更均留痕。": "A/B posts: post A handles cases while present; when every post-A approver is absent, post B does. Marking an absence needs a reason; every change is recorded.",
 "A岗在岗": "Post A present",
 "A岗缺席，由B岗办理": "Post A absent; post B handles cases",
 "无人在岗：本部门办件暂时无法受理和审批": "Nobody present: the department's cases cannot be accepted or decided for now",
 "当前办理人": "Acting now",
 "审批员": "Approver",
 "岗位": "Post",
 "变更": "Change",
 "A岗（未设置）": "Post A (not set)",
 "缺席": "Absent",
 "在岗": "Present",
 "恢复在岗": "Back on post",
 "缺席原因（如：休假）": "Reason (e.g. on leave)",
 "缺席原因": "Reason for the absence",
 "标记缺席": "Mark absent",
 "没有可查看的部门。": "No department to show.",
 "请选择": "Please choose",
 "上次提交未成功，已选的扫描件已暂存，无需重新选择；如需更换，选择新文件即可。": "The last submission did not go through; the scans you chose are held, so there is no need to choose them again. Choose a new file to replace one.",
 "已暂存": "Held",
 "不用此文件": "Don't use this file",
 "办理结果（准予时填写）": "Result (filled in when approving)",
 "18位，含校验码": "18 characters, with the check character",
 "准予后，结果证照发给该主体，一件事的后续事项也将使用。": "Once approved, the licence goes to this organisation, and the later matters of a one-thing bundle use it.",
 "当场受理并准予": "Accept and approve at once",
 "不予准予": "Deny",
 "岗位/在岗状态（A/B岗）": "Posts and presence (A/B posts)",
 "您已标记为缺席": "You are marked absent",
 "下载PDF（电子签章）": "Download the PDF (signed)",
 "返回办件": "Back to the case",
 "个人填身份证号码后四位，企业填统一社会信用代码后四位（见受理通知书）。": "A person: the last 4 of the ID number; a company: the last 4 of the unified social credit code (see the acceptance notice).",
 "打印版": "Printable version",
 "全部文书": "All documents"
})
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

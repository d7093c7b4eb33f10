import mqtt from 'mqtt';
const [a,b,c]=process.argv.slice(2).map(Number);
const t0=Date.now();
const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${b}`,{clientId:'sub1',protocolVersion:4, clean:true});
console.log('sub connected', Date.now()-t0);
const got=[];
sub.on('message',(t,p,pk)=>got.push([t,p.toString(),pk.retain,pk.qos]));
await sub.subscribeAsync('uavmec/v1/#',{qos:1});
console.log('subscribed', Date.now()-t0);
const pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${a}`,{clientId:'pub1',protocolVersion:4, will:{topic:'uavmec/v1/leader',payload:Buffer.from('dead'),qos:1,retain:true}});
await pub.publishAsync('uavmec/v1/uav/1/twin','hello',{qos:1});
await pub.publishAsync('uavmec/v1/leader','alive',{qos:1, retain:true});
await pub.publishAsync('uavmec/v1/fleet','q0',{qos:0});
await new Promise(r=>setTimeout(r,300));
console.log(got);
const late = await mqtt.connectAsync(`mqtt://127.0.0.1:${c}`,{clientId:'late',protocolVersion:4});
const lg=[]; late.on('message',(t,p,pk)=>lg.push([t,p.toString(),pk.retain]));
await late.subscribeAsync('uavmec/v1/leader',{qos:1});
await new Promise(r=>setTimeout(r,300));
console.log('late retained', lg);
pub.stream.destroy(); // abrupt
await new Promise(r=>setTimeout(r,500));
console.log('after kill', lg, got.slice(-1));
try { const v5 = await mqtt.connectAsync(`mqtt://127.0.0.1:${a}`,{clientId:'v5',protocolVersion:5, connectTimeout:2000, reconnectPeriod:0}); console.log('v5 ok'); v5.end(); } catch(e){ console.log('v5 fail', e.message); }
try { const q2 = await mqtt.connectAsync(`mqtt://127.0.0.1:${a}`,{clientId:'q2',protocolVersion:4, reconnectPeriod:0}); q2.on('error',e=>console.log('q2 err',e.message)); q2.on('close',()=>console.log('q2 closed')); const r = await Promise.race([q2.publishAsync('uavmec/v1/x','q2',{qos:2}).then(()=>'q2 puback'), new Promise(r=>setTimeout(()=>r('q2 timeout'),1000))]); console.log(r); q2.end(true);} catch(e){ console.log('q2 fail', e.message); }
try { const sh = await mqtt.connectAsync(`mqtt://127.0.0.1:${a}`,{clientId:'sh',protocolVersion:4, reconnectPeriod:0}); sh.on('close',()=>console.log('sh closed')); const g = await sh.subscribeAsync('$share/g/uavmec/v1/#',{qos:1}); console.log('share sub', JSON.stringify(g)); sh.end(true);} catch(e){ console.log('share fail', e.message); }
sub.end(); late.end();
